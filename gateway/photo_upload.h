#pragma once
// Photos arriving from the field, chunk by chunk, on a thread and a store
// connection of their own: a photo's megabytes never wait in the
// committer's queue behind records, nor hold it up. Each chunk is committed
// before it is answered, so what a receipt says the gateway holds survives
// a crash; a photo is checked once whole (a JPEG or PNG by its first
// bytes, no larger than the limit, hashing to the SHA-256 it was sent
// under) and only then stored and reported committed.

#include <spdlog/logger.h>

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/photo_store.h"
#include "store/sql.h"

namespace fieldflow::gateway {

struct PhotoChunk {
    std::string device;  // the sender, as its hello named it
    std::string sha256;
    std::uint64_t total_bytes = 0;
    std::uint64_t offset = 0;
    std::vector<std::byte> bytes;
    std::uint64_t max_photo_bytes = 0;  // the gateway's limit
};

struct PhotoReceipt {
    std::string sha256;
    std::uint64_t held_bytes = 0;
    bool committed = false;
    std::string refused;  // too_large, not_an_image, wrong_hash, bad_chunk; empty when taken
    std::string detail;
    std::string store_error;  // the store failed: nothing is answered, the agent retries
};

// Judges one chunk against what `photos` holds, in the caller's
// transaction; at_ms stamps what it stores.
PhotoReceipt take_chunk(store::PhotoStore& photos, const PhotoChunk& chunk, std::int64_t at_ms);

class PhotoUpload {
  public:
    // `location`: the gateway's store, reached through a connection of this
    // object's own, opened with its first chunk.
    PhotoUpload(std::string location, std::shared_ptr<spdlog::logger> log);
    ~PhotoUpload();
    PhotoUpload(const PhotoUpload&) = delete;
    PhotoUpload& operator=(const PhotoUpload&) = delete;

    // `done` runs on this object's thread once the chunk is committed (or
    // refused, or the store failed).
    void receive(PhotoChunk chunk, std::function<void(PhotoReceipt)> done);
    // Answers what is queued, then joins the thread.
    void stop();

  private:
    struct Job {
        PhotoChunk chunk;
        std::function<void(PhotoReceipt)> done;
    };
    void run();
    PhotoReceipt handle(const PhotoChunk& chunk);

    std::string location_;
    std::shared_ptr<spdlog::logger> log_;
    std::unique_ptr<store::sql::Database> db_;  // on the thread, from the first chunk
    std::unique_ptr<store::PhotoStore> photos_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> queue_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace fieldflow::gateway
