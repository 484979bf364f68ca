#include "gateway/retention_job.h"

#include <pthread.h>

#include <cmath>
#include <exception>

#include "core/calendar.h"
#include "core/effectiveness.h"
#include "core/clock.h"
#include "core/geo.h"
#include "core/travel_rules.h"
#include "schemas/record_codec.h"
#include "store/retention.h"

namespace fieldflow::gateway {

namespace {

constexpr std::int64_t day_ms = 86'400'000;
// Rows a transaction: enough to catch up on a backlog in minutes, few
// enough that the committer waits milliseconds for the store.
constexpr std::size_t rows_at_a_time = 500;

std::string why(const char* what, unsigned days, std::int64_t before_ms) {
    return std::string(what) + " captured before " + core::format_date(core::china_day(before_ms)) +
           " (retention " + std::to_string(days) + " days)";
}

}  // namespace

RetentionJob::Dropped RetentionJob::run_once(store::sql::Database& db, RetentionDays days,
                                             const MasterInForce& in_force, std::int64_t now_ms) {
    Dropped dropped;
    store::Retention retention(db);
    if (days.location_days > 0) {
        auto master = in_force.now();
        auto distance_of = [&](std::span<const std::byte> raw) -> std::optional<std::int64_t> {
            auto decoded = wire::decode_record(raw);
            if (!decoded.record) return std::nullopt;
            auto point = core::visit_point(*decoded.record);
            const core::Terminal* terminal =
                point ? master->data.terminal(point->terminal) : nullptr;
            if (!terminal || !point->located) return std::nullopt;
            return std::lround(
                core::distance_m(terminal->lat, terminal->lon, point->lat, point->lon));
        };
        std::int64_t before = now_ms - days.location_days * day_ms;
        std::string because = why("fixes of check-ins", days.location_days, before);
        std::size_t n = 0;
        do {
            n = retention.drop_fixes(before, distance_of, rows_at_a_time, because);
            dropped.fixes += n;
        } while (n > 0);
    }
    if (days.photo_days > 0) {
        std::int64_t before = now_ms - days.photo_days * day_ms;
        std::string because = why("photos of records", days.photo_days, before);
        std::size_t n = 0;
        do {
            n = retention.drop_photos(before, rows_at_a_time, because);
            dropped.photos += n;
        } while (n == rows_at_a_time);
    }
    return dropped;
}

RetentionJob::RetentionJob(const std::string& location, RetentionDays days, MasterInForce& in_force,
                           std::shared_ptr<spdlog::logger> log, std::chrono::milliseconds every)
    : location_(location), days_(days), in_force_(in_force), log_(std::move(log)), every_(every) {
    if (days_.location_days > 0 || days_.photo_days > 0) thread_ = std::thread([this] { run(); });
}

RetentionJob::~RetentionJob() {
    stop();
}

void RetentionJob::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

void RetentionJob::run() {
    pthread_setname_np(pthread_self(), "ff-retention");
    std::unique_ptr<store::sql::Database> db;
    std::unique_lock lock(mutex_);
    do {
        lock.unlock();
        try {
            if (!db) db = store::sql::Database::open(location_);
            auto dropped = run_once(*db, days_, in_force_, core::unix_now_ms());
            if (dropped.fixes > 0 || dropped.photos > 0) {
                store::Retention(*db).erase_old_copies();
                log_->info("retention: dropped the exact fixes of {} check-ins and {} photos",
                           dropped.fixes, dropped.photos);
            }
        } catch (const std::exception& e) {
            // Tried again at the next pass; nothing is half done, each
            // transaction being whole or nothing.
            log_->error("retention: {}", e.what());
            db.reset();
        }
        lock.lock();
    } while (!wake_.wait_for(lock, every_, [this] { return stopping_; }));
}

}  // namespace fieldflow::gateway
