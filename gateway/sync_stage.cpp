#include "gateway/sync_stage.h"

#include <pthread.h>

namespace fieldflow::gateway {

SyncStage::SyncStage(store::sql::Database& db) : db_(db) {
    // Answers wait for this stage, so commits need not wait for the disk.
    db_.defer_syncs();
    thread_ = std::thread([this] { run(); });
}

SyncStage::~SyncStage() {
    stop();
}

void SyncStage::after_sync(Answer answer) {
    {
        std::lock_guard lock(mutex_);
        waiting_.push_back(std::move(answer));
    }
    wake_.notify_one();
}

void SyncStage::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

void SyncStage::run() {
    pthread_setname_np(pthread_self(), "ff-sync");
    for (;;) {
        std::vector<Answer> answers;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
            if (waiting_.empty()) return;  // stopping, and everything answered
            answers.swap(waiting_);
        }
        // Every commit these answer for returned before this sync began.
        bool synced = true;
        std::string error;
        try {
            db_.sync();
        } catch (const std::exception& e) {
            synced = false;
            error = e.what();
        }
        for (auto& answer : answers) answer(synced, error);
    }
}

}  // namespace fieldflow::gateway
