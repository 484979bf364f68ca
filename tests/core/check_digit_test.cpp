#include "core/check_digit.h"

#include <doctest/doctest.h>

using namespace fieldflow::core;

TEST_CASE("check digit: EAN-13, UPC-A, EAN-8 and GTIN-14 validate") {
    CHECK(gs1_check_digit_valid("6901234567892"));
    CHECK_FALSE(gs1_check_digit_valid("6901234567891"));
    CHECK(gs1_check_digit_valid("036000291452"));        // UPC-A
    CHECK(gs1_check_digit_valid("96385074"));            // EAN-8
    CHECK(gs1_check_digit_valid("10614141000415"));      // GTIN-14
    CHECK(gs1_check_digit_valid("106141411234567897"));  // SSCC-style 18 digits
    CHECK_FALSE(gs1_check_digit_valid("69012345678a2"));
    CHECK_FALSE(gs1_check_digit_valid("7"));
}

TEST_CASE("check digit: computed from the body") {
    CHECK(gs1_check_digit("690123456789") == '2');
    CHECK(gs1_check_digit("9638507") == '4');
    CHECK(gs1_check_digit("") == std::nullopt);
    CHECK(gs1_check_digit("12a") == std::nullopt);
}

TEST_CASE("check digit: retail codes normalise to GTIN-14") {
    CHECK(to_gtin14("6901234567892") == "06901234567892");
    CHECK(to_gtin14("036000291452") == "00036000291452");
    CHECK(to_gtin14("96385074") == "00000096385074");
    CHECK(to_gtin14("6901234567891") == std::nullopt);
    CHECK(to_gtin14("123456789") == std::nullopt);
}
