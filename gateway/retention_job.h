#pragma once
// Ends the retention of personal data while the gateway runs: a thread of
// its own, with a store connection of its own, drops check-ins' exact fixes
// and deletes photos once they are older than the days set, at start and
// then every hour, a few hundred rows a transaction so that the committer
// is never held up for long (store/retention.h).

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "gateway/master_in_force.h"
#include "gateway/periodic_thread.h"
#include "store/sql.h"

#include <spdlog/logger.h>

namespace fieldflow::gateway {

// Days after capture; 0 keeps for ever.
struct RetentionDays {
    unsigned location_days = 0;
    unsigned photo_days = 0;
};

class RetentionJob {
  public:
    // Nothing runs when both are 0. Distances kept in the fixes' place are
    // measured from the terminals of the master data `in_force`.
    RetentionJob(const std::string& location, RetentionDays days, MasterInForce& in_force,
                 std::shared_ptr<spdlog::logger> log,
                 std::chrono::milliseconds every = std::chrono::hours(1));
    RetentionJob(const RetentionJob&) = delete;
    RetentionJob& operator=(const RetentionJob&) = delete;

    void stop() {
        if (thread_) thread_->stop();
    }

  private:
    void pass();

    std::string location_;
    RetentionDays days_;
    MasterInForce& in_force_;
    std::shared_ptr<spdlog::logger> log_;
    // Opened at the first pass, and again after one that failed.
    std::unique_ptr<store::sql::Database> db_;
    std::optional<PeriodicThread> thread_;  // last: stopped before what pass() uses goes
};

}  // namespace fieldflow::gateway
