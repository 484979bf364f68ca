#pragma once
// NMEA sentences written by tests: "$" + body + "*hh" with the right checksum.

#include <cstdio>
#include <string>

namespace fieldflow::test {

inline std::string nmea_sentence(const std::string& body, const char* line_end = "") {
    unsigned sum = 0;
    for (char c : body) sum ^= static_cast<unsigned char>(c);
    char tail[8];
    std::snprintf(tail, sizeof tail, "*%02X", sum);
    return "$" + body + tail + line_end;
}

}  // namespace fieldflow::test
