#pragma once
// GS1 mod-10 check digits: GTIN-8/12/13/14, SSCC-18 and every other GS1 key.

#include <optional>
#include <string>
#include <string_view>

namespace fieldflow::core {

bool all_digits(std::string_view text);

// The check digit for `body` (the key without its last digit), or nullopt
// when `body` is empty or not all digits.
std::optional<char> gs1_check_digit(std::string_view body);

// True when `key` is all digits and its last digit is right.
bool gs1_check_digit_valid(std::string_view key);

// EAN-13, UPC-A (12), EAN-8 or GTIN-14 padded with leading zeros to 14
// digits; nullopt for another length, a non-digit or a wrong check digit.
std::optional<std::string> to_gtin14(std::string_view code);

}  // namespace fieldflow::core
