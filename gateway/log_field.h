#pragma once
// A value from outside (a device id, a rep) as a log line's key=value field:
// as it is when it is one plain word, quoted and escaped otherwise, so that
// a device cannot forge a field or a line of its own.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace fieldflow::gateway {

inline std::string log_field(std::string_view value) {
    bool plain = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
               c == ':' || c == '/' || c == '@' || c == '+';
    });
    return plain ? std::string(value) : fmt::format("{:?}", value);
}

}  // namespace fieldflow::gateway
