#pragma once
// Pieces of HTTP requests that Boost 1.74 has no parser for (Boost.URL
// came with 1.81): query strings and cookies.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace fieldflow::net {

// Percent-decoding, '+' as space; nullopt for a malformed escape.
std::optional<std::string> url_decode(std::string_view text);
// "a=1&b=two" → {a: 1, b: two}; pairs that do not decode are left out.
std::map<std::string, std::string> query_parameters(std::string_view target);
// The value of cookie `name` in a Cookie header, if present.
std::optional<std::string> cookie_value(std::string_view header, std::string_view name);

}  // namespace fieldflow::net
