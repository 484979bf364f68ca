#include "tables/csv_field.h"

#include <doctest/doctest.h>

using fieldflow::tables::csv_field;

TEST_CASE("csv output: text a spreadsheet would run as a formula is written as text") {
    CHECK(csv_field("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0");
    CHECK(csv_field("+1+1") == "'+1+1");
    CHECK(csv_field("-2+3") == "'-2+3");
    CHECK(csv_field("@SUM(A1)") == "'@SUM(A1)");
    CHECK(csv_field("\t=1") == "'\t=1");
    CHECK(csv_field("\r=1") == "\"'\r=1\"");
    CHECK(csv_field("=HYPERLINK(\"x\",\"y\")") == "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
}

TEST_CASE("csv output: numbers and ordinary text are left as they are") {
    CHECK(csv_field("-5") == "-5");
    CHECK(csv_field("+12.5") == "'+12.5");  // from_chars reads no leading plus: text
    CHECK(csv_field("F-001") == "F-001");
    CHECK(csv_field("") == "");
    CHECK(csv_field("a,b") == "\"a,b\"");
    CHECK(csv_field("上海浦东药房") == "上海浦东药房");
}
