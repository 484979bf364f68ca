#pragma once
// Takes up new master-data versions while the gateway runs: a thread of its
// own, with a store connection of its own, looks about once a second for a
// version newer than the one in force (SQLite tells whether another
// connection committed at all, so an idle store costs nothing more;
// PostgreSQL is asked for the latest version), loads it whole and puts it
// in force. Loading never holds up the committer, which keeps judging
// against the version it has until the new one is complete.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "gateway/master_in_force.h"
#include "gateway/periodic_thread.h"
#include "store/master_store.h"
#include "store/sql.h"

#include <spdlog/logger.h>

namespace fieldflow::gateway {

// The master data to start with. With `folder`: its CSV files as the
// gateway always read them (a bad row is skipped, with a warning), stored
// as a new version when they differ from the store's latest. Without: the
// store's latest version. Nullopt, once the log says why, when there is
// nothing to judge records against.
std::optional<MasterSnapshot> master_at_start(store::sql::Database& db, const std::string& folder,
                                              const std::string& by, spdlog::logger& log);

class MasterWatch {
  public:
    // Starts watching the store at `location` for versions after the one
    // `in_force` holds.
    MasterWatch(const std::string& location, MasterInForce& in_force,
                std::shared_ptr<spdlog::logger> log,
                std::chrono::milliseconds every = std::chrono::seconds(1));
    MasterWatch(const MasterWatch&) = delete;
    MasterWatch& operator=(const MasterWatch&) = delete;

    void stop() { thread_.stop(); }

  private:
    void look();

    std::unique_ptr<store::sql::Database> db_;
    store::MasterStore master_;
    MasterInForce& in_force_;
    std::shared_ptr<spdlog::logger> log_;
    std::int64_t others_commits_ = -1;
    bool failing_ = false;   // the last look failed: said once, not every second
    PeriodicThread thread_;  // last: stopped before what look() uses goes
};

}  // namespace fieldflow::gateway
