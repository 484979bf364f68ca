#include "gateway/checkin_map.h"

#include <algorithm>
#include <utility>
#include <variant>
#include <vector>

#include "core/calendar.h"
#include "core/effectiveness.h"
#include "core/geo.h"
#include "core/travel_rules.h"
#include "schemas/record_codec.h"

namespace fieldflow::gateway {

using nlohmann::json;

std::optional<json> CheckinMaps::of(std::int64_t id, const core::TerritoryScope& scope) {
    auto flagged = store_.reviews().find(id);
    if (!flagged || flagged->kind != "check_in") return std::nullopt;
    auto decoded = wire::decode_record(flagged->raw);
    if (!decoded.record) return std::nullopt;
    const auto* in = std::get_if<core::CheckIn>(&decoded.record->payload);
    if (!in) return std::nullopt;
    auto here = core::visit_point(*decoded.record);

    auto master = master_.now();
    json terminal = nullptr;
    const core::Terminal* known = master->data.terminal(in->terminal);
    if (known)
        terminal = {{"id", known->id},
                    {"name", known->name},
                    {"lat", known->lat},
                    {"lon", known->lon},
                    {"radius_m", known->radius_m}};
    json fix = nullptr, distance = nullptr;
    if (here && here->located) {
        fix = {{"lat", in->lat}, {"lon", in->lon}, {"accuracy_m", in->accuracy_m}};
        if (known) distance = core::distance_m(known->lat, known->lon, in->lat, in->lon);
    }
    // Its retention over, the fix is gone (it reads as no position) and
    // the distance kept in its place stands for it.
    if (flagged->fix_dropped && flagged->kept_distance_m) distance = *flagged->kept_distance_m;

    // The day as the reps live it: midnight to midnight in China.
    core::Day day = core::china_day(flagged->captured_at_ms);
    std::int64_t from = core::china_day_start_ms(day);
    std::vector<core::VisitPoint> points;
    std::size_t outside = 0;
    for (const auto& stored :
         store_.check_ins_around(flagged->device, from, core::china_day_start_ms(day + 1) - 1)) {
        if (core::china_day(stored.captured_at_ms) != day) continue;  // the neighbours around it
        auto other = wire::decode_record(stored.raw);
        if (!other.record) continue;
        auto point = core::visit_point(*other.record);
        if (!point) continue;
        if (!scope.record(master->data, point->terminal, flagged->rep)) {
            ++outside;
            continue;
        }
        points.push_back(std::move(*point));
    }
    std::sort(points.begin(), points.end(), [](const auto& a, const auto& b) {
        return std::pair{a.captured_at_ms, a.seq} < std::pair{b.captured_at_ms, b.seq};
    });
    json path = json::array();
    for (const auto& point : points) {
        json step{{"seq", point.seq},
                  {"captured_at_ms", point.captured_at_ms},
                  {"time", core::clock_time(point.captured_at_ms)},
                  {"terminal", point.terminal},
                  {"lat", nullptr},
                  {"lon", nullptr},
                  {"located", point.located},
                  {"this", point.seq == flagged->seq}};
        if (point.located) {
            step["lat"] = point.lat;
            step["lon"] = point.lon;
        }
        path.push_back(std::move(step));
    }
    return json{{"record", flagged->id},  {"device", flagged->device},
                {"rep", flagged->rep},    {"day", core::format_date(day)},
                {"terminal", terminal},   {"fix", fix},
                {"distance_m", distance}, {"fix_dropped", flagged->fix_dropped},
                {"path", path},           {"outside_scope", outside}};
}

}  // namespace fieldflow::gateway
