#include "core/fix_tracker.h"

#include <algorithm>

#include "core/overloaded.h"

namespace fieldflow::core {

namespace {
constexpr std::int64_t day_ms = 86'400'000;
constexpr double uere_m = 5, floor_m = 3, unknown_accuracy_m = 50;
}  // namespace

void FixTracker::feed(const NmeaSentence& sentence) {
    std::visit(Overloaded{
                   [&](const Gga& g) {
                       std::optional<std::int64_t> when;
                       if (g.time_of_day_ms && date_ms_) when = *date_ms_ + *g.time_of_day_ms;
                       if (when) now_ms_ = std::max(now_ms_.value_or(*when), *when);
                       if (g.quality == 0 || !g.lat || !g.lon) return;  // no fix: keep the last one
                       Fix fix;
                       fix.lat = *g.lat;
                       fix.lon = *g.lon;
                       fix.quality = g.quality;
                       fix.satellites = g.satellites;
                       fix.hdop = g.hdop;
                       fix.accuracy_m =
                           g.hdop ? std::max(floor_m, *g.hdop * uere_m) : unknown_accuracy_m;
                       fix.gps_time_ms = when;
                       fix_ = fix;
                   },
                   [&](const Rmc& r) {
                       if (r.utc_ms) {
                           date_ms_ = *r.utc_ms / day_ms * day_ms;
                           now_ms_ = std::max(now_ms_.value_or(*r.utc_ms), *r.utc_ms);
                       }
                       if (!r.valid || !r.lat || !r.lon) return;
                       // RMC has no HDOP: keep the accuracy a GGA gave for the same fix.
                       Fix fix = fix_.value_or(Fix{});
                       fix.lat = *r.lat;
                       fix.lon = *r.lon;
                       fix.quality = std::max(fix.quality, 1);
                       fix.gps_time_ms = r.utc_ms;
                       fix_ = fix;
                   },
                   [&](const Gsa& g) {
                       if (fix_ && g.hdop) fix_->accuracy_m = std::max(floor_m, *g.hdop * uere_m);
                   },
                   [](const OtherSentence&) {},
               },
               sentence.data);
}

void FixTracker::feed(const GpsdTpv& report) {
    if (report.time_ms) now_ms_ = std::max(now_ms_.value_or(*report.time_ms), *report.time_ms);
    if (report.mode < 2 || !report.lat || !report.lon) return;  // no fix: keep the last one
    Fix fix;
    fix.lat = *report.lat;
    fix.lon = *report.lon;
    fix.quality = 1;
    fix.accuracy_m = std::max(floor_m, report.accuracy_m.value_or(unknown_accuracy_m));
    fix.gps_time_ms = report.time_ms;
    fix_ = fix;
}

std::optional<std::int64_t> FixTracker::fix_age_ms() const {
    if (!fix_ || !fix_->gps_time_ms || !now_ms_) return std::nullopt;
    return *now_ms_ - *fix_->gps_time_ms;
}

FixStatus FixTracker::assess(const FixLimits& limits) const {
    if (!fix_) return FixStatus::no_fix;
    if (auto age = fix_age_ms(); age && *age > limits.max_age_ms) return FixStatus::stale_fix;
    if (fix_->accuracy_m > limits.max_accuracy_m) return FixStatus::low_accuracy;
    return FixStatus::ok;
}

}  // namespace fieldflow::core
