// The CSV writer: headings or keys, the byte-order mark Excel needs for
// Chinese, numbers as numbers, instants with their offset, and the formula
// guard on every text cell.

#include "tables/csv_writer.h"

#include <doctest/doctest.h>

#include <sstream>

using namespace fieldflow;
using tables::Kind;

TEST_CASE("csv writer: a download for a person, in Chinese, guarded") {
    std::ostringstream out;
    tables::CsvOptions options;
    options.keys_as_header = false;
    options.language = tables::Language::chinese;
    options.byte_order_mark = true;
    options.utc_offset_minutes = 480;
    tables::CsvWriter csv(out,
                          {{"id", "Flow", "流向", Kind::text},
                           {"qty", "Quantity", "数量", Kind::number},
                           {"at", "At", "时间", Kind::time}},
                          options);
    csv.row({std::string("=1+2"), -5.0, 1'795'332'605'000.0});
    csv.row({std::string("a,b"), 2.5, std::monostate{}});
    csv.finish();
    CHECK(out.str() ==
          "\xEF\xBB\xBF流向,数量,时间\n"
          "'=1+2,-5,2026-11-22T15:30:05+08:00\n"
          "\"a,b\",2.5,\n");
}

TEST_CASE("csv writer: keys as the header, for scripts, without a byte-order mark") {
    std::ostringstream out;
    tables::CsvWriter csv(out, {{"id", "Flow", "流向", Kind::text}}, {});
    csv.row({std::string("F1")});
    csv.finish();
    CHECK(out.str() == "id\nF1\n");
}

TEST_CASE("csv writer: instants west of UTC and before 1970") {
    CHECK(tables::iso8601(0, -300) == "1969-12-31T19:00:00-05:00");
    CHECK(tables::iso8601(1'795'332'605'120.0, 0) == "2026-11-22T07:30:05+00:00");
}
