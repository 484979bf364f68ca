#pragma once
// Copies a SQLite store's committed WAL frames into its database file on a
// connection and thread of its own, as SQLite's documentation suggests for
// a busy writer, instead of in the commit that crosses the WAL's
// autocheckpoint size. Checkpoints never wait for the writer nor the writer
// for them (PASSIVE); a pass that catches up before the next commit lets
// that commit start the WAL over from its beginning.

#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "store/sql.h"

namespace fieldflow::store::sql {

class WalCheckpointer {
  public:
    // Told why a pass failed, from the checkpointer's thread; the store has
    // no log of its own, the program that owns it does.
    using Warn = std::function<void(const std::string&)>;

    WalCheckpointer(const std::string& path, Durability durability, Warn warn = {});
    ~WalCheckpointer();
    WalCheckpointer(const WalCheckpointer&) = delete;
    WalCheckpointer& operator=(const WalCheckpointer&) = delete;

    // Asks for a pass; from the writer's WAL hook.
    void due();
    // Returns once no pass is running or asked for.
    void wait_idle();

  private:
    void run();

    sqlite3* db_ = nullptr;
    Warn warn_;
    std::mutex mutex_;
    std::condition_variable wake_, idle_;
    bool due_ = false, running_ = false;
    std::atomic<bool> stopping_ = false;  // also read between passes, without the lock
    std::thread thread_;
};

}  // namespace fieldflow::store::sql
