#pragma once
// `serve`'s sync: on a thread of its own with its own connection to the
// outbox, so that the HTTP answers and the scanner never wait on the
// network. It syncs soon after each capture (kick()) and every minute;
// while the gateway is away it tries again with exponential backoff and
// full jitter, as `sync` does, up to the minute's period, and a capture
// does not cut that wait short. What comes down (master data, verdicts) is
// applied by the sync itself.

#include <spdlog/logger.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "agent/sync.h"

namespace fieldflow::agent {

struct SyncState {
    bool online = false;            // the last attempt reached the gateway
    std::int64_t last_sync_ms = 0;  // when a sync last ended with the outbox empty; 0: never
    std::string last_error;         // why the last attempt failed; empty after a success
};

class BackgroundSync {
  public:
    // `changed` is called on the sync's thread after every attempt.
    BackgroundSync(std::filesystem::path state_dir, SyncOptions options,
                   std::function<void()> changed, std::shared_ptr<spdlog::logger> log,
                   std::chrono::milliseconds period = std::chrono::minutes(1));
    ~BackgroundSync();
    BackgroundSync(const BackgroundSync&) = delete;
    BackgroundSync& operator=(const BackgroundSync&) = delete;

    void start();
    // Asks for a sync now; outside a backoff it starts at once.
    void kick();
    // Lets an attempt under way finish (its network waits are bounded),
    // then ends the thread.
    void stop();
    SyncState state() const;

  private:
    void run();
    // One attempt: true when the outbox is empty after it.
    bool attempt(class Outbox& outbox);

    std::filesystem::path state_dir_;
    SyncOptions options_;
    std::function<void()> changed_;
    std::shared_ptr<spdlog::logger> log_;
    std::chrono::milliseconds period_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool kicked_ = false;
    bool stopping_ = false;
    SyncState state_;
    std::thread thread_;
};

}  // namespace fieldflow::agent
