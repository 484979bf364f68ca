#pragma once
// The distribution books as the gateway uses them: the channel's facts that
// field records are judged against, and the flows and stock lines that
// commercial reps upload, booked in the same transaction as their records.

#include "store/sql.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/channel_facts.h"
#include "core/master_data.h"
#include "core/record.h"
#include "gateway/master_in_force.h"
#include "store/book_writer.h"

#include <spdlog/logger.h>

namespace fieldflow::gateway {

class Books {
  public:
    // `log` hears when the facts are read again after an import.
    Books(store::sql::Database& db, store::AuditLog& audit, const MasterInForce& master,
          std::shared_ptr<spdlog::logger> log);

    // Before a group commit: when another connection committed since,
    // closed periods again, and the facts rebuilt if it imported a file
    // or a new master-data version changed the distributors.
    void refresh();
    const core::ChannelFacts& facts() const { return facts_; }

    // Books the rows a field record carries (a flow, a distributor's stock
    // line) inside the caller's open transaction.
    void book(const core::Record& record);
    // The transaction committed: what was booked now counts in the facts.
    void committed();
    // It did not: forget what was booked, and the names and sources written with it.
    void abandoned();

  private:
    std::int64_t device_source(core::ImportKind kind, const std::string& device);
    std::int64_t imported_sources();

    store::sql::Database& db_;
    const MasterInForce& master_;
    std::shared_ptr<spdlog::logger> log_;
    store::BookWriter writer_;
    MasterSnapshot facts_master_;  // the facts point into it
    MasterSnapshot seen_master_;   // in force at the last refresh
    core::ChannelFacts facts_;
    std::int64_t facts_read_at_ = -1;  // the last import the facts include
    std::int64_t data_version_ = -1;   // other connections' commits, when last looked
    std::map<std::pair<core::ImportKind, std::string>, std::int64_t> sources_;
    std::vector<std::function<void(core::ChannelFacts&)>> pending_;
};

}  // namespace fieldflow::gateway
