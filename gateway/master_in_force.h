#pragma once
// The master data the gateway judges against now: one version, replaced
// whole when a newer one is taken up (gateway/master_watch.h). A reader
// holds the version it took for as long as it needs it (a batch, a page),
// so it sees one consistent version; taking up a new one never waits for
// readers, and a reader never waits for a version being loaded: the lock
// covers only the copy of a pointer. (libstdc++ 12's atomic<shared_ptr>
// unlocks a load with relaxed order, which ThreadSanitizer rightly reports
// against the next store.)

#include <cstdint>
#include <memory>
#include <mutex>

#include "core/master_data.h"

namespace fieldflow::gateway {

struct MasterVersionData {
    std::int64_t version = 0;  // in the store; 0 for data that is in no store
    core::MasterData data;
};
using MasterSnapshot = std::shared_ptr<const MasterVersionData>;

class MasterInForce {
  public:
    explicit MasterInForce(MasterSnapshot first) : now_(std::move(first)) {}
    // Data that never changes: a test's fixture.
    explicit MasterInForce(core::MasterData data)
        : now_(std::make_shared<const MasterVersionData>(MasterVersionData{0, std::move(data)})) {}
    MasterInForce(const MasterInForce&) = delete;
    MasterInForce& operator=(const MasterInForce&) = delete;

    MasterSnapshot now() const {
        std::lock_guard lock(mutex_);
        return now_;
    }
    void take_up(MasterSnapshot next) {
        std::lock_guard lock(mutex_);
        now_.swap(next);  // `next` frees the old version after the lock
    }

  private:
    mutable std::mutex mutex_;
    MasterSnapshot now_;
};

}  // namespace fieldflow::gateway
