#include "core/nmea.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <vector>

namespace fieldflow::core {

namespace {

// NMEA allows 82 characters; talkers with longer sentences exist, so a
// little more is accepted, nothing unbounded.
constexpr std::size_t max_sentence = 120;

std::vector<std::string_view> split(std::string_view body) {
    std::vector<std::string_view> fields;
    while (true) {
        auto comma = body.find(',');
        fields.push_back(body.substr(0, comma));
        if (comma == std::string_view::npos) return fields;
        body.remove_prefix(comma + 1);
    }
}

struct FieldError {
    std::string what;
};

std::optional<double> number(std::string_view text, const char* name) {
    if (text.empty()) return std::nullopt;
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        throw FieldError{std::string(name) + " is not a number: \"" + std::string(text) + "\""};
    return value;
}

// Every whole-number field of a sentence (date parts, fix quality, satellites, mode) is small;
// the bound also keeps the conversion to int defined.
int integer(std::string_view text, const char* name) {
    auto v = number(text, name);
    if (!v) return 0;
    if (*v < 0 || *v > 9999 || *v != std::floor(*v))
        throw FieldError{std::string(name) + " is not a whole number from 0 to 9999: \"" +
                         std::string(text) + "\""};
    return static_cast<int>(*v);
}

// ddmm.mmmm (latitude) or dddmm.mmmm (longitude) with its hemisphere.
std::optional<double> coordinate(std::string_view value, std::string_view hemisphere,
                                 bool latitude) {
    auto raw = number(value, latitude ? "latitude" : "longitude");
    if (!raw) return std::nullopt;
    double degrees = std::floor(*raw / 100);
    double minutes = *raw - degrees * 100;
    if (minutes >= 60) throw FieldError{"minutes of arc out of range"};
    double result = degrees + minutes / 60;
    if (hemisphere == "S" || hemisphere == "W")
        result = -result;
    else if (hemisphere != "N" && hemisphere != "E")
        throw FieldError{"hemisphere is not N, S, E or W"};
    if (std::abs(result) > (latitude ? 90 : 180)) throw FieldError{"coordinate out of range"};
    return result;
}

// hhmmss.sss as milliseconds since midnight.
std::optional<std::int64_t> time_of_day(std::string_view text) {
    auto raw = number(text, "time");
    if (!raw || text.size() < 6) return std::nullopt;
    if (*raw < 0 || *raw >= 240000) throw FieldError{"time out of range"};
    int hh = static_cast<int>(*raw / 10000), mm = static_cast<int>(std::fmod(*raw / 100, 100));
    double ss = std::fmod(*raw, 100);
    if (mm > 59 || ss >= 61) throw FieldError{"time out of range"};
    return (hh * 3600 + mm * 60) * 1000LL + static_cast<std::int64_t>(std::llround(ss * 1000));
}

// ddmmyy with a time of day, as milliseconds since the Unix epoch.
std::optional<std::int64_t> utc(std::string_view date, std::optional<std::int64_t> time) {
    if (date.size() != 6 || !time) return std::nullopt;
    int dd = integer(date.substr(0, 2), "day"), mo = integer(date.substr(2, 2), "month"),
        yy = integer(date.substr(4, 2), "year");
    using namespace std::chrono;
    // Two-digit years: receivers made since 1980 (the GPS epoch).
    year_month_day day{year{yy < 80 ? 2000 + yy : 1900 + yy}, month{static_cast<unsigned>(mo)},
                       std::chrono::day{static_cast<unsigned>(dd)}};
    if (!day.ok()) throw FieldError{"date out of range"};
    return sys_days(day).time_since_epoch() / milliseconds(1) + *time;
}

const std::string_view& at(const std::vector<std::string_view>& f, std::size_t i) {
    static constexpr std::string_view empty;
    return i < f.size() ? f[i] : empty;
}

}  // namespace

NmeaParse parse_nmea(std::string_view line) {
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (line.size() > max_sentence)
        return {std::nullopt,
                "sentence longer than " + std::to_string(max_sentence) + " characters"};
    if (line.empty() || line[0] != '$') return {std::nullopt, "a sentence starts with '$'"};
    auto star = line.rfind('*');
    if (star == std::string_view::npos || star + 3 != line.size())
        return {std::nullopt, "no *hh checksum at the end"};
    unsigned expected = 0;
    auto [end, ec] =
        std::from_chars(line.data() + star + 1, line.data() + line.size(), expected, 16);
    if (ec != std::errc() || end != line.data() + line.size())
        return {std::nullopt, "checksum is not two hex digits"};
    std::string_view body = line.substr(1, star - 1);
    unsigned sum = 0;
    for (char c : body) sum ^= static_cast<unsigned char>(c);
    if (sum != expected) return {std::nullopt, "checksum mismatch"};

    auto f = split(body);
    if (f[0].size() != 5)
        return {std::nullopt, "address field is not a talker and a sentence type"};
    NmeaSentence sentence;
    sentence.talker = std::string(f[0].substr(0, 2));
    std::string_view type = f[0].substr(2);
    try {
        if (type == "GGA") {
            if (f.size() < 10) return {std::nullopt, "GGA has too few fields"};
            Gga g;
            g.time_of_day_ms = time_of_day(at(f, 1));
            g.lat = coordinate(at(f, 2), at(f, 3), true);
            g.lon = coordinate(at(f, 4), at(f, 5), false);
            g.quality = integer(at(f, 6), "fix quality");
            g.satellites = integer(at(f, 7), "satellites");
            g.hdop = number(at(f, 8), "HDOP");
            g.altitude_m = number(at(f, 9), "altitude");
            sentence.data = g;
        } else if (type == "RMC") {
            if (f.size() < 10) return {std::nullopt, "RMC has too few fields"};
            Rmc r;
            r.valid = at(f, 2) == "A";
            r.lat = coordinate(at(f, 3), at(f, 4), true);
            r.lon = coordinate(at(f, 5), at(f, 6), false);
            r.speed_knots = number(at(f, 7), "speed");
            r.course_deg = number(at(f, 8), "course");
            r.utc_ms = utc(at(f, 9), time_of_day(at(f, 1)));
            sentence.data = r;
        } else if (type == "GSA") {
            if (f.size() < 18) return {std::nullopt, "GSA has too few fields"};
            Gsa g;
            g.mode = integer(at(f, 2), "mode");
            g.pdop = number(at(f, 15), "PDOP");
            g.hdop = number(at(f, 16), "HDOP");
            g.vdop = number(at(f, 17), "VDOP");
            sentence.data = g;
        } else {
            sentence.data = OtherSentence{std::string(type)};
        }
    } catch (const FieldError& e) {
        return {std::nullopt, std::string(type) + ": " + e.what};
    }
    return {std::move(sentence), {}};
}

}  // namespace fieldflow::core
