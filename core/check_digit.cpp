#include "core/check_digit.h"

#include <algorithm>

namespace fieldflow::core {

bool all_digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<char> gs1_check_digit(std::string_view body) {
    if (!all_digits(body)) return std::nullopt;
    // Weights 3,1,3,1... from the rightmost digit of the body.
    int sum = 0;
    int weight = 3;
    for (auto it = body.rbegin(); it != body.rend(); ++it) {
        sum += (*it - '0') * weight;
        weight = 4 - weight;
    }
    return static_cast<char>('0' + (10 - sum % 10) % 10);
}

bool gs1_check_digit_valid(std::string_view key) {
    if (key.size() < 2 || !all_digits(key)) return false;
    return gs1_check_digit(key.substr(0, key.size() - 1)) == key.back();
}

std::optional<std::string> to_gtin14(std::string_view code) {
    if (code.size() != 8 && code.size() != 12 && code.size() != 13 && code.size() != 14)
        return std::nullopt;
    if (!gs1_check_digit_valid(code)) return std::nullopt;
    return std::string(14 - code.size(), '0') + std::string(code);
}

}  // namespace fieldflow::core
