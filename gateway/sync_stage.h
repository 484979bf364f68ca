#pragma once
// The last stage of a group commit. A committed group's answers wait here
// until a sync of the store's log covers them, while the committer builds
// the next group; one sync answers every group committed before it began.
// A store that syncs in its commits (PostgreSQL, or SQLite asked not to
// defer) syncs nothing here, and its answers pass straight through.

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/sql.h"

namespace fieldflow::gateway {

class SyncStage {
  public:
    // `synced` is false, with `error` saying why, when the log could not be
    // made durable: the group is stored but must not be acked as such.
    using Answer = std::function<void(bool synced, const std::string& error)>;

    // Asks `db` to defer its syncs to this stage: before any commit, so
    // before the committer's thread starts.
    explicit SyncStage(store::sql::Database& db);
    ~SyncStage();
    SyncStage(const SyncStage&) = delete;
    SyncStage& operator=(const SyncStage&) = delete;

    // Called by the committer right after a commit.
    void after_sync(Answer answer);
    // Syncs and answers everything handed over, then joins.
    void stop();

  private:
    void run();

    store::sql::Database& db_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<Answer> waiting_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace fieldflow::gateway
