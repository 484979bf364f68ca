// What a browser puts in a request's target and Cookie header, as the
// operators' listener reads them (net/http_query.h): the input up to
// the first newline is a target, the rest a Cookie header. Beyond not
// crashing, what is read must hold: a decoded pair came from the query,
// and a cookie's value is part of the header it came from.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "net/http_query.h"

using namespace fieldflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    auto newline = input.find('\n');
    std::string_view target = input.substr(0, newline);
    std::string_view cookies =
        newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

    // Decoding never grows the text: '+' and each escape give one byte.
    if (auto decoded = net::url_decode(target); decoded && decoded->size() > target.size())
        std::abort();
    for (const auto& [key, value] : net::query_parameters(target))
        if (key.empty() || key.size() + value.size() > target.size()) std::abort();

    for (std::string_view name : {"ff_session", "", "a"}) {
        auto value = net::cookie_value(cookies, name);
        if (value && cookies.find(*value) == std::string_view::npos) std::abort();
    }
    return 0;
}
