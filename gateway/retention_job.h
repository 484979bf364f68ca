#pragma once
// Ends the retention of personal data while the gateway runs: a thread of
// its own, with a store connection of its own, drops check-ins' exact fixes
// and deletes photos once they are older than the days set, at start and
// then every hour, a few hundred rows a transaction so that the committer
// is never held up for long (store/retention.h).

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "gateway/master_in_force.h"
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
    ~RetentionJob();
    RetentionJob(const RetentionJob&) = delete;
    RetentionJob& operator=(const RetentionJob&) = delete;

    void stop();

    struct Dropped {
        std::size_t fixes = 0;
        std::size_t photos = 0;
    };
    // One pass, on the caller's thread, with a connection of its own.
    static Dropped run_once(store::sql::Database& db, RetentionDays days,
                            const MasterInForce& in_force, std::int64_t now_ms);

  private:
    void run();

    std::string location_;
    RetentionDays days_;
    MasterInForce& in_force_;
    std::shared_ptr<spdlog::logger> log_;
    std::chrono::milliseconds every_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace fieldflow::gateway
