#include "gateway/photo_upload.h"

#include <pthread.h>

#include <algorithm>

#include "core/clock.h"
#include "core/digest.h"
#include "core/photo_type.h"
#include "core/report_rules.h"
#include "gateway/log_field.h"

namespace fieldflow::gateway {

namespace {

PhotoReceipt refused(const PhotoChunk& chunk, std::string code, std::string detail) {
    return {chunk.sha256, 0, false, std::move(code), std::move(detail), {}};
}

}  // namespace

PhotoReceipt take_chunk(store::PhotoStore& photos, const PhotoChunk& chunk, std::int64_t at_ms) {
    if (core::sha256_hex(chunk.sha256) || chunk.sha256.empty())
        return refused(chunk, "bad_chunk", "the photo's name is not 64 lowercase hex digits");
    if (photos.has(chunk.sha256)) return {chunk.sha256, chunk.total_bytes, true, {}, {}, {}};
    if (chunk.total_bytes > chunk.max_photo_bytes) {
        photos.drop_chunks(chunk.sha256);
        return refused(chunk, "too_large",
                       "the photo has " + std::to_string(chunk.total_bytes) +
                           " bytes; this gateway takes " + std::to_string(chunk.max_photo_bytes) +
                           " at most");
    }
    if (chunk.total_bytes == 0) return refused(chunk, "not_an_image", "the photo is empty");
    auto held = photos.held(chunk.sha256, chunk.total_bytes);
    // Anywhere but where the held bytes end, or nothing: the answer says
    // where to go on from.
    if (chunk.bytes.empty() || chunk.offset != held) return {chunk.sha256, held, false, {}, {}, {}};
    if (chunk.offset + chunk.bytes.size() > chunk.total_bytes) {
        photos.drop_chunks(chunk.sha256);
        return refused(chunk, "bad_chunk",
                       "a chunk ends at byte " + std::to_string(chunk.offset + chunk.bytes.size()) +
                           " of a photo announced as " + std::to_string(chunk.total_bytes));
    }
    if (chunk.offset == 0 && core::photo_content_type(chunk.bytes).empty())
        return refused(chunk, "not_an_image",
                       "the photo is neither a JPEG nor a PNG (by its first bytes)");
    photos.add_chunk(chunk.sha256, chunk.offset, chunk.bytes, chunk.total_bytes, chunk.device,
                     at_ms);
    held += chunk.bytes.size();
    if (held < chunk.total_bytes) return {chunk.sha256, held, false, {}, {}, {}};

    auto whole = photos.assembled(chunk.sha256);
    photos.drop_chunks(chunk.sha256);
    auto actual = core::hex(core::sha256(whole));
    if (actual != chunk.sha256)
        return refused(chunk, "wrong_hash",
                       "the bytes received hash to " + actual + ", not to the photo's name");
    auto type = core::photo_content_type(whole);
    photos.put(chunk.sha256, std::string(type), whole, chunk.device, at_ms);
    return {chunk.sha256, held, true, {}, {}, {}};
}

PhotoUpload::PhotoUpload(std::string location, std::shared_ptr<spdlog::logger> log)
    : location_(std::move(location)), log_(std::move(log)), thread_([this] { run(); }) {}

PhotoUpload::~PhotoUpload() {
    stop();
}

void PhotoUpload::receive(PhotoChunk chunk, std::function<void(PhotoReceipt)> done) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back({std::move(chunk), std::move(done)});
    }
    wake_.notify_one();
}

void PhotoUpload::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

void PhotoUpload::run() {
    pthread_setname_np(pthread_self(), "ff-photos");
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;
            job = std::move(queue_.front());
            queue_.pop_front();
        }
        job.done(handle(job.chunk));
    }
}

PhotoReceipt PhotoUpload::handle(const PhotoChunk& chunk) {
    try {
        if (!db_) {
            db_ = store::sql::Database::open(location_);
            photos_ =
                std::make_unique<store::PhotoStore>(*db_, store::PhotoStore::Tables::existing);
        }
        store::sql::Transaction transaction(*db_, store::sql::TransactionKind::write);
        auto receipt = take_chunk(*photos_, chunk, core::unix_now_ms());
        transaction.commit();
        if (receipt.committed && !chunk.bytes.empty())
            log_->info("photo stored device={} sha256={} bytes={}", log_field(chunk.device),
                       chunk.sha256, chunk.total_bytes);
        if (!receipt.refused.empty())
            log_->warn("photo refused device={} sha256={:?} code={} detail={:?}",
                       log_field(chunk.device), chunk.sha256, receipt.refused, receipt.detail);
        return receipt;
    } catch (const std::exception& e) {
        log_->error("photo chunk not stored device={} sha256={:?} error={:?}",
                    log_field(chunk.device), chunk.sha256, e.what());
        // A connection that failed may be what failed: the next chunk opens anew.
        photos_.reset();
        db_.reset();
        PhotoReceipt failed;
        failed.sha256 = chunk.sha256;
        failed.store_error = e.what();
        return failed;
    }
}

}  // namespace fieldflow::gateway
