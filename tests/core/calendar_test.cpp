#include "core/calendar.h"

#include <doctest/doctest.h>

using namespace fieldflow::core;

TEST_CASE("calendar: dates round-trip and count days from 1970-01-01") {
    CHECK(parse_date("1970-01-01") == 0);
    CHECK(parse_date("1970-01-02") == 1);
    CHECK(format_date(*parse_date("2024-02-29")) == "2024-02-29");
    CHECK(*parse_date("2026-03-01") - *parse_date("2026-02-28") == 1);
}

TEST_CASE("calendar: malformed or impossible dates are refused") {
    CHECK_FALSE(parse_date("2026-02-29"));
    CHECK_FALSE(parse_date("2026-13-01"));
    CHECK_FALSE(parse_date("2026-1-01"));
    CHECK_FALSE(parse_date("2026/01/01"));
    CHECK_FALSE(parse_date("2026-01-01 "));
    CHECK_FALSE(parse_date("+026-01-01"));
    CHECK_FALSE(parse_date(""));
}

TEST_CASE("calendar: periods are calendar months") {
    auto march = *parse_period("2026-03");
    CHECK(format_period(march) == "2026-03");
    CHECK(format_period(march + 10) == "2027-01");
    CHECK(format_date(first_day(march)) == "2026-03-01");
    CHECK(format_date(last_day(march)) == "2026-03-31");
    CHECK(format_date(last_day(*parse_period("2024-02"))) == "2024-02-29");
    CHECK(period_of(*parse_date("2026-03-31")) == march);
    CHECK(period_of(*parse_date("2026-04-01")) == march + 1);
    CHECK_FALSE(parse_period("2026-00"));
    CHECK_FALSE(parse_period("2026-13"));
    CHECK_FALSE(parse_period("2026-3"));
}
