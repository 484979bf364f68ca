#include "core/gpsd_json.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace fieldflow::core {

std::optional<std::int64_t> parse_iso8601_utc(std::string_view text) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0;
    double s = 0;
    char z = 0;
    std::string copy(text.substr(0, 40));
    if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%lf%c", &y, &mo, &d, &h, &mi, &s, &z) != 7 ||
        z != 'Z')
        return std::nullopt;
    using namespace std::chrono;
    year_month_day day{year{y}, month{static_cast<unsigned>(mo)},
                       std::chrono::day{static_cast<unsigned>(d)}};
    if (!day.ok() || h > 23 || mi > 59 || s < 0 || s >= 61) return std::nullopt;
    return sys_days(day).time_since_epoch() / milliseconds(1) + (h * 3600 + mi * 60) * 1000LL +
           static_cast<std::int64_t>(s * 1000 + 0.5);
}

GpsdLine parse_gpsd_line(std::string_view line) {
    auto json = nlohmann::json::parse(line, nullptr, false);
    if (json.is_discarded() || !json.is_object()) return {std::nullopt, "not a JSON object"};
    auto cls = json.find("class");
    if (cls == json.end() || !cls->is_string()) return {std::nullopt, "no class"};
    if (*cls != "TPV") return {};
    GpsdTpv tpv;
    auto number = [&](const char* key) -> std::optional<double> {
        auto it = json.find(key);
        if (it == json.end() || !it->is_number()) return std::nullopt;
        return it->get<double>();
    };
    if (auto mode = json.find("mode"); mode != json.end()) {
        if (!mode->is_number_integer() || *mode < 0 || *mode > 3)
            return {std::nullopt, "mode is not 0, 1, 2 or 3"};
        tpv.mode = mode->get<int>();
    }
    tpv.lat = number("lat");
    tpv.lon = number("lon");
    if (auto eph = number("eph"))
        tpv.accuracy_m = eph;
    else if (auto x = number("epx"), y = number("epy"); x && y)
        tpv.accuracy_m = std::max(*x, *y);
    if (auto t = json.find("time"); t != json.end() && t->is_string())
        tpv.time_ms = parse_iso8601_utc(t->get<std::string>());
    if ((tpv.lat && std::abs(*tpv.lat) > 90) || (tpv.lon && std::abs(*tpv.lon) > 180))
        return {std::nullopt, "position out of range"};
    return {tpv, {}};
}

}  // namespace fieldflow::core
