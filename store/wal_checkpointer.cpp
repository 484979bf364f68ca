#include "store/wal_checkpointer.h"

#include <pthread.h>

namespace fieldflow::store::sql {

WalCheckpointer::WalCheckpointer(const std::string& path, Durability durability, Warn warn)
    : warn_(std::move(warn)) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
        SQLITE_OK) {
        std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        throw Error("cannot open " + path + " for checkpoints: " + message, {});
    }
    // Checkpoints sync the WAL before and the database after copying.
    sqlite3_exec(db_,
                 durability == Durability::full ? "PRAGMA synchronous = FULL"
                                                : "PRAGMA synchronous = NORMAL",
                 nullptr, nullptr, nullptr);
    thread_ = std::thread([this] { run(); });
}

WalCheckpointer::~WalCheckpointer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
    sqlite3_close_v2(db_);
}

void WalCheckpointer::due() {
    {
        std::lock_guard lock(mutex_);
        due_ = true;
    }
    wake_.notify_one();
}

void WalCheckpointer::wait_idle() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [this] { return (!due_ && !running_) || stopping_; });
}

void WalCheckpointer::run() {
    pthread_setname_np(pthread_self(), "ff-checkpoint");
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return due_ || stopping_; });
        if (stopping_) return;
        due_ = false;
        running_ = true;
        lock.unlock();
        // Again while commits came in during the pass: each pass is shorter
        // than the one before, until one ends with the WAL.
        int log = 0, copied = 0, rc = SQLITE_OK;
        for (int pass = 0; pass < 16 && rc == SQLITE_OK && !stopping_; ++pass) {
            rc = sqlite3_wal_checkpoint_v2(db_, "main", SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
            if (copied >= log) break;
        }
        // Busy: a checkpoint is running elsewhere, and the next commit asks again.
        if (rc != SQLITE_OK && rc != SQLITE_BUSY && warn_)
            warn_(std::string("checkpoint failed error=\"") + sqlite3_errmsg(db_) + '"');
        lock.lock();
        running_ = false;
        idle_.notify_all();
    }
}

}  // namespace fieldflow::store::sql
