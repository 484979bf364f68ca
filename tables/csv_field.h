#pragma once
// Writing CSV fields: quoted (RFC 4180) only when the text needs it, and
// never read by a spreadsheet as a formula.

#include <charconv>
#include <string>
#include <string_view>

namespace fieldflow::tables {

// Excel, LibreOffice and WPS run a cell that begins with = + - @ (or a tab
// or carriage return before one) as a formula: a flow id such as
// =cmd|' /C calc'!A0 from a distributor's file would run on the operator's
// desktop. Such text gets a leading ' (shown as text, not as part of it);
// a number such as -5 is left as it is.
inline bool reads_as_formula(std::string_view text) {
    if (text.empty() || text.find_first_of(std::string_view("=+-@\t\r", 6)) != 0) return false;
    double number = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    return error != std::errc() || end != text.data() + text.size();
}

inline std::string csv_field(std::string_view text) {
    std::string cell = reads_as_formula(text) ? "'" + std::string(text) : std::string(text);
    if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
    std::string out = "\"";
    for (char c : cell) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

}  // namespace fieldflow::tables
