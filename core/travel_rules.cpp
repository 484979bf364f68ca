#include "core/travel_rules.h"

#include <cmath>
#include <cstdio>

#include "core/geo.h"

namespace fieldflow::core {

namespace {

constexpr double ms_per_minute = 60'000;

// Minutes as a rep would say them; under a minute in seconds, so that a
// hop made "in 0 min" never appears.
std::string duration(std::int64_t ms) {
    char text[32];
    if (ms < 60'000)
        std::snprintf(text, sizeof text, "%lld s", static_cast<long long>(ms / 1000));
    else
        std::snprintf(text, sizeof text, "%.0f min", static_cast<double>(ms) / ms_per_minute);
    return text;
}

}  // namespace

std::string clock_time(std::int64_t ms) {
    constexpr std::int64_t day_ms = 86'400'000, offset_ms = 8 * 3'600'000;
    std::int64_t of_day = ((ms + offset_ms) % day_ms + day_ms) % day_ms;
    char text[16];
    std::snprintf(text, sizeof text, "%02lld:%02lld", static_cast<long long>(of_day / 3'600'000),
                  static_cast<long long>(of_day / 60'000 % 60));
    return text;
}

std::optional<VisitPoint> visit_point(const Record& record) {
    const auto* in = std::get_if<CheckIn>(&record.payload);
    if (!in) return std::nullopt;
    bool located = in->fix != FixJudgement::none && std::isfinite(in->lat) &&
                   std::isfinite(in->lon) && std::abs(in->lat) <= 90 && std::abs(in->lon) <= 180;
    return VisitPoint{record.seq, record.captured_at_ms, in->terminal, in->lat, in->lon, located};
}

std::optional<Reason> travel_possible(const VisitPoint& from, const VisitPoint& to,
                                      const TravelLimits& limits) {
    if (limits.max_kmh <= 0) return std::nullopt;
    double km = distance_m(from.lat, from.lon, to.lat, to.lon) / 1000;
    if (km < limits.min_hop_km) return std::nullopt;
    std::int64_t ms = std::abs(to.captured_at_ms - from.captured_at_ms);
    double hours = static_cast<double>(ms) / 3'600'000;
    // At the limit is allowed: only a speed above it is impossible.
    if (km <= limits.max_kmh * hours) return std::nullopt;
    char head[64];
    if (ms == 0)
        std::snprintf(head, sizeof head, "%.1f km at the same time", km);
    else
        std::snprintf(head, sizeof head, "%.1f km in %s (%.0f km/h)", km, duration(ms).c_str(),
                      km / hours);
    bool earlier = from.captured_at_ms <= to.captured_at_ms;
    // Named from the check-in being judged: where it came from, or where
    // the device went next.
    return Reason{ReasonCode::impossible_travel, std::string(head) + (earlier ? " from " : " to ") +
                                                     from.terminal + " at " +
                                                     clock_time(from.captured_at_ms)};
}

std::optional<Reason> visit_long_enough(const VisitPoint& in, std::int64_t out_at_ms,
                                        const TravelLimits& limits) {
    if (limits.min_visit_minutes <= 0) return std::nullopt;
    std::int64_t ms = out_at_ms - in.captured_at_ms;
    if (static_cast<double>(ms) >= limits.min_visit_minutes * ms_per_minute) return std::nullopt;
    char minimum[32];
    std::snprintf(minimum, sizeof minimum, "%g min", limits.min_visit_minutes);
    return Reason{ReasonCode::short_visit,
                  "checked out " + duration(std::max<std::int64_t>(ms, 0)) +
                      " after checking in at " + in.terminal + " at " +
                      clock_time(in.captured_at_ms) + " (minimum " + minimum + ")"};
}

void TravelLog::add(VisitPoint point) {
    auto key = std::pair{point.captured_at_ms, point.seq};
    points_.insert_or_assign(key, std::move(point));
}

const VisitPoint* TravelLog::before(std::int64_t at_ms, std::uint64_t seq, bool located) const {
    for (auto it = points_.lower_bound({at_ms, seq}); it != points_.begin();) {
        --it;
        if (!located || it->second.located) return &it->second;
    }
    return nullptr;
}

const VisitPoint* TravelLog::after(std::int64_t at_ms, std::uint64_t seq, bool located) const {
    for (auto it = points_.upper_bound({at_ms, seq}); it != points_.end(); ++it)
        if (!located || it->second.located) return &it->second;
    return nullptr;
}

const VisitPoint* TravelLog::find(std::uint64_t seq) const {
    for (const auto& [key, point] : points_)
        if (point.seq == seq) return &point;
    return nullptr;
}

std::optional<Reason> travel_from_neighbours(const TravelLog& log, const VisitPoint& here,
                                             const TravelLimits& limits) {
    if (!here.located) return std::nullopt;
    if (const auto* previous = log.before(here.captured_at_ms, here.seq, true))
        if (auto reason = travel_possible(*previous, here, limits)) return reason;
    if (const auto* next = log.after(here.captured_at_ms, here.seq, true))
        if (auto reason = travel_possible(*next, here, limits)) return reason;
    return std::nullopt;
}

std::optional<Reason> visit_long_enough(const TravelLog& log, const Record& record,
                                        const CheckOut& out, const TravelLimits& limits) {
    if (limits.min_visit_minutes <= 0) return std::nullopt;
    const VisitPoint* in = out.check_in_seq != 0 ? log.find(out.check_in_seq) : nullptr;
    if (!in) {
        in = log.before(record.captured_at_ms, record.seq);
        if (in && in->terminal != out.terminal) in = nullptr;
    }
    if (!in) return std::nullopt;
    return visit_long_enough(*in, record.captured_at_ms, limits);
}

}  // namespace fieldflow::core
