// The workbook writer on its own, read back with openpyxl: what a sheet
// beyond Excel's rows does, times in the reader's zone, text that looks
// like a formula, widths of Chinese text, and a file that cannot be written.

#include "tables/xlsx_writer.h"

#include <doctest/doctest.h>

#include "support/process.h"
#include "support/workbook.h"

using namespace fieldflow;
using tables::Kind;

namespace {

const std::vector<tables::Column> columns_of_each_kind{{"name", "Name", "名称", Kind::text},
                                                       {"qty", "Quantity", "数量", Kind::number},
                                                       {"day", "Day", "日期", Kind::date},
                                                       {"at", "At", "时间", Kind::time}};

}  // namespace

TEST_CASE("xlsx writer: rows beyond a sheet go on to the next, each with the header") {
    test::TempDir dir;
    std::string file = dir / "long.xlsx";
    tables::XlsxOptions options;
    options.sheet_name = "Ledger";
    options.rows_per_sheet = 2;
    tables::XlsxWriter writer(file, columns_of_each_kind, options);
    for (int i = 1; i <= 5; ++i) writer.row({std::string("r") + std::to_string(i), double(i)});
    writer.finish();

    auto book = test::read_workbook(file);
    REQUIRE(book.is_object());
    const auto& sheets = book["sheets"];
    REQUIRE(sheets.size() == 3);
    CHECK(sheets[0]["name"] == "Ledger");
    CHECK(sheets[1]["name"] == "Ledger (2)");
    CHECK(sheets[2]["name"] == "Ledger (3)");
    for (const auto& sheet : sheets) {
        CHECK(sheet["rows"][0][0]["v"] == "Name");
        CHECK(sheet["freeze"] == "A2");
    }
    CHECK(sheets[0]["rows"].size() == 3);
    CHECK(sheets[2]["rows"].size() == 2);
    CHECK(sheets[1]["rows"][1][0]["v"] == "r3");
    CHECK(sheets[2]["rows"][1][1] == nlohmann::json{{"t", "n"}, {"v", 5}});
}

TEST_CASE(
    "xlsx writer: dates and times are Excel dates, formulas stay text, widths count CJK double") {
    test::TempDir dir;
    std::string file = dir / "typed.xlsx";
    tables::XlsxOptions options;
    options.language = tables::Language::chinese;
    options.sheet_name = "台账";
    options.utc_offset_minutes = 8 * 60;
    tables::XlsxWriter writer(file, columns_of_each_kind, options);
    // 2026-11-22T07:30:05Z is 15:30:05 in Beijing.
    writer.row({std::string("=HYPERLINK(\"http://x\")"), 1.5, std::string("2026-11-22"),
                1'795'332'605'000.0});
    writer.row({std::string("上海浦东新区药房连锁有限公司"), std::monostate{},
                std::string("not a day"), std::monostate{}});
    writer.finish();

    auto book = test::read_workbook(file);
    REQUIRE(book.is_object());
    const auto& sheet = book["sheets"][0];
    CHECK(sheet["name"] == "台账");
    CHECK(sheet["rows"][0][3]["v"] == "时间");
    const auto& first = sheet["rows"][1];
    CHECK(first[0] == nlohmann::json{{"t", "s"}, {"v", "=HYPERLINK(\"http://x\")"}});
    CHECK(first[1] == nlohmann::json{{"t", "n"}, {"v", 1.5}});
    CHECK(first[2] == nlohmann::json{{"t", "d"}, {"v", "2026-11-22T00:00:00"}});
    CHECK(first[3] == nlohmann::json{{"t", "d"}, {"v", "2026-11-22T15:30:05"}});
    const auto& second = sheet["rows"][1 + 1];
    CHECK(second[1]["t"].is_null());
    // A day that does not parse is kept as the text it was.
    CHECK(second[2] == nlohmann::json{{"t", "s"}, {"v", "not a day"}});
    // Fourteen Chinese characters take 28 columns, not 14 (nor their 42 bytes).
    double width = sheet["widths"]["A"].get<double>();
    CHECK(width >= 28);
    CHECK(width < 42);
}

TEST_CASE("xlsx writer: a file that cannot be written says which and why") {
    test::TempDir dir;
    std::string file = dir / "missing/x.xlsx";
    tables::XlsxWriter writer(file, columns_of_each_kind, {});
    writer.row({std::string("a")});
    try {
        writer.finish();
        FAIL("finish() should have thrown");
    } catch (const std::runtime_error& e) {
        CHECK(std::string(e.what()).rfind("cannot write " + file + ": ", 0) == 0);
    }
}
