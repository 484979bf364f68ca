#include "gateway/retention_job.h"

#include <cmath>
#include <exception>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/effectiveness.h"
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

// Calls `drop` until it drops nothing more; how many in all.
template <typename Drop>
std::size_t until_none_left(Drop drop) {
    std::size_t all = 0;
    for (std::size_t n = drop(); n > 0; n = drop()) all += n;
    return all;
}

}  // namespace

RetentionJob::RetentionJob(const std::string& location, RetentionDays days, MasterInForce& in_force,
                           std::shared_ptr<spdlog::logger> log, std::chrono::milliseconds every)
    : location_(location), days_(days), in_force_(in_force), log_(std::move(log)) {
    if (days_.location_days > 0 || days_.photo_days > 0)
        thread_.emplace("ff-retention", every, PeriodicThread::First::at_once, [this] { pass(); });
}

void RetentionJob::pass() {
    try {
        if (!db_) db_ = store::sql::Database::open(location_);
        store::Retention retention(*db_);
        std::int64_t now = core::unix_now_ms();
        std::size_t fixes = 0, photos = 0;
        if (days_.location_days > 0) {
            auto master = in_force_.now();
            auto distance_of = [&](std::span<const std::byte> raw) -> std::optional<std::int64_t> {
                auto decoded = wire::decode_record(raw);
                auto point = decoded.record ? core::visit_point(*decoded.record) : std::nullopt;
                const core::Terminal* terminal =
                    point ? master->data.terminal(point->terminal) : nullptr;
                if (!terminal || !point->located) return std::nullopt;
                return std::lround(
                    core::distance_m(terminal->lat, terminal->lon, point->lat, point->lon));
            };
            std::int64_t before = now - days_.location_days * day_ms;
            std::string because = why("fixes of check-ins", days_.location_days, before);
            fixes = until_none_left(
                [&] { return retention.drop_fixes(before, distance_of, rows_at_a_time, because); });
        }
        if (days_.photo_days > 0) {
            std::int64_t before = now - days_.photo_days * day_ms;
            std::string because = why("photos of records", days_.photo_days, before);
            photos = until_none_left(
                [&] { return retention.drop_photos(before, rows_at_a_time, because); });
        }
        if (fixes == 0 && photos == 0) return;
        retention.erase_old_copies();
        log_->info("retention: dropped the exact fixes of {} check-ins and {} photos", fixes,
                   photos);
    } catch (const std::exception& e) {
        // Tried again at the next pass; nothing is half done, each
        // transaction being whole or nothing.
        log_->error("retention: {}", e.what());
        db_.reset();
    }
}

}  // namespace fieldflow::gateway
