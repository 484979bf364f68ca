#include "core/csv.h"

#include <cmath>

namespace fieldflow::core::csv {

std::string_view required(std::string_view text, std::string_view column) {
    if (text.empty()) throw FieldError(std::string(column) + " is empty");
    return text;
}

double to_double(std::string_view text, std::string_view column) {
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        throw FieldError(std::string(column) + " is not a number: \"" + std::string(text) + "\"");
    return value;
}

long long to_integer(std::string_view text, std::string_view column) {
    long long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        throw FieldError(std::string(column) + " is not an integer: \"" + std::string(text) + "\"");
    return value;
}

}  // namespace fieldflow::core::csv
