#include "net/http_query.h"

#include <charconv>

namespace fieldflow::net {

namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    return text;
}

}  // namespace

std::optional<std::int64_t> whole_number(std::string_view text, std::int64_t lowest,
                                         std::int64_t highest) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < lowest || value > highest)
        return std::nullopt;
    return value;
}

std::optional<int> utc_offset_minutes(std::string_view text) {
    constexpr std::int64_t widest = std::int64_t{14} * 60;
    auto minutes = whole_number(text, -widest, widest);
    if (!minutes) return std::nullopt;
    return static_cast<int>(*minutes);
}

std::optional<std::string> url_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            int high = hex_digit(text[i + 1]), low = hex_digit(text[i + 2]);
            if (high < 0 || low < 0) return std::nullopt;
            out += static_cast<char>(high * 16 + low);
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

std::map<std::string, std::string> query_parameters(std::string_view target) {
    std::map<std::string, std::string> parameters;
    auto question = target.find('?');
    if (question == std::string_view::npos) return parameters;
    std::string_view query = target.substr(question + 1);
    while (!query.empty()) {
        auto amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        auto eq = pair.find('=');
        auto key = url_decode(pair.substr(0, eq));
        auto value = url_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
        if (key && value && !key->empty()) parameters[*key] = *value;
    }
    return parameters;
}

std::optional<std::string> cookie_value(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        auto semicolon = header.find(';');
        std::string_view pair = trim(header.substr(0, semicolon));
        header =
            semicolon == std::string_view::npos ? std::string_view() : header.substr(semicolon + 1);
        auto eq = pair.find('=');
        if (eq != std::string_view::npos && trim(pair.substr(0, eq)) == name)
            return std::string(trim(pair.substr(eq + 1)));
    }
    return std::nullopt;
}

}  // namespace fieldflow::net
