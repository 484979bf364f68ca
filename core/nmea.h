#pragma once
// NMEA 0183 sentences from a GNSS receiver (GPS, BeiDou, GLONASS, Galileo):
// GGA (fix), RMC (recommended minimum, with the date) and GSA (dilution of
// precision). Every sentence must carry a valid *hh checksum: a receiver on
// a serial line drops and mangles characters, and a mangled position is
// worse than none. Debian has no NMEA library for C++ (gpsd's libgps talks
// to gpsd, not to a receiver), so the parsing is here.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace fieldflow::core {

struct Gga {
    std::optional<std::int64_t> time_of_day_ms;  // UTC, since midnight
    std::optional<double> lat, lon;
    int quality = 0;  // 0 no fix, 1 GPS, 2 DGPS, 4 RTK fixed, 5 RTK float, 6 dead reckoning...
    int satellites = 0;
    std::optional<double> hdop;
    std::optional<double> altitude_m;
};

struct Rmc {
    std::optional<std::int64_t> utc_ms;  // date and time, since the Unix epoch
    bool valid = false;                  // status A
    std::optional<double> lat, lon;
    std::optional<double> speed_knots, course_deg;
};

struct Gsa {
    int mode = 1;  // 1 no fix, 2 2D, 3 3D
    std::optional<double> pdop, hdop, vdop;
};

struct OtherSentence {
    std::string type;  // a sentence we do not use (GSV, VTG, ...): skipped, not an error
};

struct NmeaSentence {
    std::string talker;  // GP, GN, BD, GB, GL, GA
    std::variant<Gga, Rmc, Gsa, OtherSentence> data;
};

struct NmeaParse {
    std::optional<NmeaSentence> sentence;
    std::string error;  // set when sentence is empty
};

// One line, with or without its CR LF.
NmeaParse parse_nmea(std::string_view line);

}  // namespace fieldflow::core
