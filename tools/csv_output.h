#pragma once
// Writing CSV fields: quoted (RFC 4180) only when the text needs it.

#include <string>
#include <string_view>

namespace fieldflow::tools {

inline std::string csv_field(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
    std::string out = "\"";
    for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

}  // namespace fieldflow::tools
