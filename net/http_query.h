#pragma once
// Pieces of HTTP requests that Boost 1.74 has no parser for (Boost.URL
// came with 1.81): query strings and cookies.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace fieldflow::net {

// Percent-decoding, '+' as space; nullopt for a malformed escape.
std::optional<std::string> url_decode(std::string_view text);
// "a=1&b=two" → {a: 1, b: two}; pairs that do not decode are left out.
std::map<std::string, std::string> query_parameters(std::string_view target);
// A parameter's whole number from `lowest` to `highest`, written in
// decimal with nothing around it; nullopt for anything else.
std::optional<std::int64_t> whole_number(std::string_view text, std::int64_t lowest,
                                         std::int64_t highest);
// A `tz` parameter: minutes east of UTC, from -840 to 840 (UTC-14 to UTC+14).
std::optional<int> utc_offset_minutes(std::string_view text);
// The value of cookie `name` in a Cookie header, if present.
std::optional<std::string> cookie_value(std::string_view header, std::string_view name);

}  // namespace fieldflow::net
