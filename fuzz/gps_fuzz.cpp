// Lines from a GPS receiver (NMEA 0183) and from gpsd's JSON socket.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/gpsd_json.h"
#include "core/nmea.h"

using namespace fieldflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    while (!text.empty()) {
        auto end = text.find('\n');
        auto line = text.substr(0, end);
        core::parse_nmea(line);
        core::parse_gpsd_line(line);
        core::parse_iso8601_utc(line);
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return 0;
}
