#pragma once
// gpsd's JSON protocol: the TPV ("time-position-velocity") reports a gpsd
// daemon sends to a client that asked to WATCH. Parsed with nlohmann::json
// (Debian's nlohmann-json3-dev); other report classes are recognised and
// skipped.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fieldflow::core {

struct GpsdTpv {
    int mode = 0;  // 0 unknown, 1 no fix, 2 2D, 3 3D
    std::optional<double> lat, lon;
    std::optional<double> accuracy_m;     // eph, or the larger of epx and epy
    std::optional<std::int64_t> time_ms;  // UTC
};

struct GpsdLine {
    std::optional<GpsdTpv> tpv;  // absent for other classes and for errors
    std::string error;           // set when the line is not a valid report
};

GpsdLine parse_gpsd_line(std::string_view line);

// "2026-11-22T03:15:01.250Z" as milliseconds since the Unix epoch.
std::optional<std::int64_t> parse_iso8601_utc(std::string_view text);

}  // namespace fieldflow::core
