#include "core/gs1.h"

#include <doctest/doctest.h>

#include "core/reference_year.h"

using namespace fieldflow::core;
using fieldflow::test::reference_year;

namespace {
const std::string gs = "\x1d";
}  // namespace

TEST_CASE("gs1: the human-readable form gives GTIN, expiry, lot and serial") {
    auto p = parse_gs1("(01)06901234567892(17)261231(10)LOT42(21)SN0001", reference_year);
    REQUIRE(p.ok());
    CHECK(p.gtin() == "06901234567892");
    CHECK(p.expiry() == Gs1Date{2026, 12, 31});
    CHECK(p.lot() == "LOT42");
    CHECK(p.serial() == "SN0001");
    CHECK(p.elements.size() == 4);
}

TEST_CASE("gs1: the raw form with GS separators reads the same") {
    auto p = parse_gs1(
        "]d20106901234567892172612311"
        "0LOT42" +
            gs + "21SN0001",
        reference_year);
    REQUIRE(p.ok());
    CHECK(p.gtin() == "06901234567892");
    CHECK(p.expiry()->iso() == "2026-12-31");
    CHECK(p.lot() == "LOT42");
    CHECK(p.serial() == "SN0001");
}

TEST_CASE("gs1: a variable-length element last needs no separator, one in the middle does") {
    auto last = parse_gs1("010690123456789210ABC", reference_year);
    REQUIRE(last.ok());
    CHECK(last.lot() == "ABC");
    auto middle = parse_gs1(
        "0106901234567892"
        "10ABC" +
            gs + "17270100",
        reference_year);
    REQUIRE(middle.ok());
    CHECK(middle.lot() == "ABC");
    CHECK(middle.expiry() == Gs1Date{2027, 1, 31});  // day 00: end of month
}

TEST_CASE("gs1: the human-readable form written as an element string reads back the same") {
    auto hri = parse_gs1("(01)06901234567892(10)ABC(17)270100(21)S1(30)12", reference_year);
    REQUIRE(hri.ok());
    auto raw = element_string(hri.elements);
    CHECK(raw ==
          "0106901234567892"
          "10ABC" +
              gs +
              "17270100"
              "21S1" +
              gs + "3012");
    auto again = parse_gs1(raw, reference_year);
    REQUIRE(again.ok());
    CHECK(again.lot() == "ABC");
    CHECK(again.serial() == "S1");
    CHECK(again.count() == 12);
}

TEST_CASE("gs1: a leading GS and a fixed element followed directly by another are fine") {
    auto p = parse_gs1(gs + "0106901234567892"
                            "17260630"
                            "21X",
                       reference_year);
    REQUIRE(p.ok());
    CHECK(p.serial() == "X");
}

TEST_CASE("gs1: day 00 is the last day of the month, leap years included") {
    CHECK(gs1_date("280200", reference_year) == Gs1Date{2028, 2, 29});
    CHECK(gs1_date("270200", reference_year) == Gs1Date{2027, 2, 28});
    CHECK(gs1_date("261100", reference_year) == Gs1Date{2026, 11, 30});
}

TEST_CASE("gs1: invalid dates are refused") {
    CHECK_FALSE(gs1_date("261301", reference_year));
    CHECK_FALSE(gs1_date("260230", reference_year));
    CHECK_FALSE(gs1_date("2602", reference_year));
    auto p = parse_gs1("(01)06901234567892(17)261345", reference_year);
    CHECK_FALSE(p.ok());
    CHECK(p.error->find("(17)") != std::string::npos);
    CHECK(p.elements.size() == 1);  // what came before is kept
}

TEST_CASE("gs1: the century follows the reference year") {
    CHECK(gs1_date("760101", 2026)->year == 2076);
    CHECK(gs1_date("770101", 2026)->year == 1977);
    CHECK(gs1_date("990101", 2026)->year == 1999);
    CHECK(gs1_date("050101", 2060)->year == 2105);
}

TEST_CASE("gs1: a wrong GTIN or SSCC check digit is an error") {
    CHECK_FALSE(parse_gs1("(01)06901234567891", reference_year).ok());
    CHECK(parse_gs1("(00)106141411234567897", reference_year).ok());
    CHECK(parse_gs1("(00)106141411234567897", reference_year).sscc() == "106141411234567897");
    CHECK_FALSE(parse_gs1("(00)106141411234567898", reference_year).ok());
}

TEST_CASE("gs1: an unknown application identifier stops the parse where it stands") {
    auto p = parse_gs1(
        "0106901234567892"
        "89XYZ",
        reference_year);
    CHECK_FALSE(p.ok());
    CHECK(p.error->find("unknown application identifier at position 16") != std::string::npos);
    CHECK(p.error_position == 16);
    CHECK(p.gtin() == "06901234567892");
}

TEST_CASE("gs1: a variable value over its maximum is refused") {
    CHECK_FALSE(parse_gs1("(10)ABCDEFGHIJKLMNOPQRSTU", reference_year).ok());  // 21 > 20
    CHECK(parse_gs1("(10)ABCDEFGHIJKLMNOPQRST", reference_year).ok());
    CHECK_FALSE(parse_gs1("(30)123456789", reference_year).ok());  // count: at most 8 digits
}

TEST_CASE("gs1: counts, customer part numbers and additional ids") {
    auto p = parse_gs1("(02)06901234567892(37)24(240)ABC-1(241)PN 7", reference_year);
    CHECK_FALSE(p.ok());  // a space is outside the GS1 character set
    auto q = parse_gs1("(02)06901234567892(37)24(240)ABC-1(241)PN/7", reference_year);
    REQUIRE(q.ok());
    CHECK(q.gtin() == "06901234567892");
    CHECK(q.count() == 24);
    CHECK(*q.value("240") == "ABC-1");
    CHECK(*q.value("241") == "PN/7");
    CHECK(parse_gs1("(30)12", reference_year).count() == 12);
    CHECK(parse_gs1("(11)250101(15)270630", reference_year).production() == Gs1Date{2025, 1, 1});
    CHECK(parse_gs1("(11)250101(15)270630", reference_year).best_before() == Gs1Date{2027, 6, 30});
}

TEST_CASE("gs1: digits-only elements refuse letters") {
    CHECK_FALSE(parse_gs1("(01)0690123456789X", reference_year).ok());
    CHECK_FALSE(parse_gs1("(37)1A", reference_year).ok());
}

TEST_CASE("gs1: a human-readable string with an unknown or unclosed AI is refused") {
    CHECK_FALSE(parse_gs1("(01)06901234567892(89)X", reference_year).ok());
    CHECK_FALSE(parse_gs1("(01", reference_year).ok());
    CHECK_FALSE(parse_gs1("", reference_year).ok());
}

TEST_CASE("gs1: recognising GS1 text") {
    CHECK(looks_like_gs1("]d2010690"));
    CHECK(looks_like_gs1("(01)0690"));
    CHECK(looks_like_gs1(gs + "0106"));
    CHECK_FALSE(looks_like_gs1("6901234567892"));
}

TEST_CASE("gs1: the GS1 specification's DataMatrix example with a product URL parses whole") {
    auto p = parse_gs1(
        "]d201095040000591012112345678p901\x1d"
        "101234567p\x1d"
        "171411208200http://www.gs1.org/demo/",
        2014);
    REQUIRE(p.ok());
    CHECK(p.gtin() == "09504000059101");
    CHECK(p.serial() == "12345678p901");
    CHECK(p.lot() == "1234567p");
    CHECK(p.expiry() == Gs1Date{2014, 11, 20});
    CHECK(*p.value("8200") == "http://www.gs1.org/demo/");
}
