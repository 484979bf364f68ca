#include "agent/background_sync.h"

#include <malloc.h>
#include <sqlite3.h>

#include <algorithm>
#include <random>
#include <sstream>

#include "agent/outbox.h"
#include "core/clock.h"

namespace fieldflow::agent {

using namespace std::chrono_literals;

BackgroundSync::BackgroundSync(std::filesystem::path state_dir, SyncOptions options,
                               std::function<void()> changed, std::shared_ptr<spdlog::logger> log,
                               std::chrono::milliseconds period)
    : state_dir_(std::move(state_dir)),
      options_(std::move(options)),
      changed_(std::move(changed)),
      log_(std::move(log)),
      period_(period) {
    // One attempt at a time; the pause between attempts is this class's.
    options_.retry_for = 0s;
    options_.log = log_;
}

BackgroundSync::~BackgroundSync() {
    stop();
}

void BackgroundSync::start() {
    thread_ = std::thread([this] { run(); });
}

void BackgroundSync::kick() {
    {
        std::lock_guard lock(mutex_);
        kicked_ = true;
    }
    wake_.notify_one();
}

void BackgroundSync::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

SyncState BackgroundSync::state() const {
    std::lock_guard lock(mutex_);
    return state_;
}

bool BackgroundSync::attempt(Outbox& outbox) {
    std::ostringstream said;
    auto options = options_;
    options.out = &said;
    std::string error;
    bool empty = false;
    try {
        empty = sync(outbox, options) == 0;
        if (!empty) error = said.str();
    } catch (const std::exception& e) {
        // Refused for good (not enrolled, another protocol version, a
        // gateway not trusted): said, and tried again at the next period.
        error = e.what();
    }
    if (!said.str().empty()) log_->debug("sync said {:?}", said.str());
    if (!error.empty()) log_->warn("sync did not empty the outbox error={:?}", error);
    // Between attempts this connection's page cache and the freed pages of
    // the batches and the photo in this thread's malloc arena stay
    // resident (glibc and SQLite keep them for the next use): about 2 MiB
    // of a process that should stay under 16. Handed back, they cost a few
    // reads and page faults at the next attempt, a minute later at most.
    sqlite3_db_release_memory(outbox.database().getHandle());
    malloc_trim(0);
    {
        std::lock_guard lock(mutex_);
        state_.online = empty;
        state_.last_error = error;
        if (empty) state_.last_sync_ms = core::unix_now_ms();
    }
    if (changed_) changed_();
    return empty;
}

void BackgroundSync::run() {
    std::unique_ptr<Outbox> outbox;
    std::mt19937_64 random(std::random_device{}());
    std::chrono::milliseconds backoff = 200ms;
    for (;;) {
        bool ok = false;
        try {
            if (!outbox) outbox = std::make_unique<Outbox>(state_dir_);
            ok = attempt(*outbox);
        } catch (const std::exception& e) {
            log_->error("sync could not open the outbox error={:?}", e.what());
            outbox.reset();
        }
        std::unique_lock lock(mutex_);
        if (stopping_) return;
        if (ok) {
            backoff = 200ms;
            kicked_ = false;
            wake_.wait_for(lock, period_, [this] { return kicked_ || stopping_; });
        } else {
            // Full jitter, as `sync` backs off: a fleet that lost the
            // gateway together does not come back together.
            auto pause = std::chrono::milliseconds(
                std::uniform_int_distribution<long>(backoff.count() / 2, backoff.count())(random));
            backoff = std::min<std::chrono::milliseconds>(backoff * 2, period_);
            wake_.wait_for(lock, pause, [this] { return stopping_; });
        }
        if (stopping_) return;
        kicked_ = false;
    }
}

}  // namespace fieldflow::agent
