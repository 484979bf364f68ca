#include "core/distribution_csv.h"

#include <doctest/doctest.h>

#include <sstream>

using namespace fieldflow::core;

namespace {

struct Read {
    std::vector<FlowRow> rows;
    std::vector<LoadError> errors;
};

Read read_flows(const std::string& text) {
    Read out;
    std::istringstream in(text);
    RowHandlers handlers;
    handlers.flow = [&](const FlowRow& row) { out.rows.push_back(row); };
    read_distribution_csv(ImportKind::flows, in, "flows.csv", handlers, out.errors);
    return out;
}

const char* header = "flow_id,date,seller_id,buyer_id,product_id,lot,qty\n";

}  // namespace

TEST_CASE("distribution csv: a line past the parser's limit costs only its own row") {
    // 17 MiB: past the 16 MiB at which the CSV parser gives up on the stream.
    std::string text = std::string(header) + "F1,2026-01-10,D1,D2,P1,L1,30\n" +
                       "F2,2026-01-10,D1," + std::string(17u << 20, 'x') + ",P1,L1,5\n" +
                       "F3,2026-01-11,D1,D2,P1,L1,7\n";
    auto read = read_flows(text);
    REQUIRE(read.rows.size() == 2);
    CHECK(read.rows[0].flow_id == "F1");
    CHECK(read.rows[1].flow_id == "F3");
    CHECK(read.rows[1].line == 4);
    REQUIRE(read.errors.size() == 1);
    CHECK(read.errors[0].file == "flows.csv");
    CHECK(read.errors[0].line == 3);
    CHECK(read.errors[0].message.find("longer than 1 MiB") != std::string::npos);
}

TEST_CASE("distribution csv: a quantity beyond a billion either way is a bad row") {
    auto read = read_flows(std::string(header) + "F1,2026-01-10,D1,D2,P1,L1,9223372036854775807\n" +
                           "F2,2026-01-10,D1,D2,P1,L1,-1000000001\n" +
                           "F3,2026-01-10,D1,D2,P1,L1,1000000000\n");
    REQUIRE(read.rows.size() == 1);
    CHECK(read.rows[0].qty == 1'000'000'000);
    REQUIRE(read.errors.size() == 2);
    CHECK(read.errors[0].line == 2);
    CHECK(read.errors[0].message.find("qty out of range") != std::string::npos);
    CHECK(read.errors[1].line == 3);
    CHECK(read.errors[1].message.find("qty out of range") != std::string::npos);
}

TEST_CASE("distribution csv: each bad row has a stable code and Chinese words beside the English") {
    auto read = read_flows(std::string(header) +
                           "F1,2026-02-30,D1,D2,P1,L1,5\n"  // no such day
                           "F2,2026-03-01,D1,D2,P1,L1,0\n"
                           "F3,2026-03-01,D1,D2,P1,L1,two\n"
                           "F4,2026-03-01,,D2,P1,L1,5\n"
                           "F5,2026-03-01,D1,\xc9\xcf\xba\xa3,P1,L1,5\n"  // GBK read as UTF-8
                           "F6,2026-03-01,D1,D2,P1,L1,5000000000\n"
                           "F7,2026-03-01,D1\n");
    CHECK(read.rows.empty());
    REQUIRE(read.errors.size() == 7);
    struct Expected {
        const char* code;
        const char* english;
        const char* chinese;
    };
    const Expected expected[] = {
        {"not_a_date", "date is not a date (YYYY-MM-DD): \"2026-02-30\"",
         "日期“2026-02-30”不是有效日期（应为 YYYY-MM-DD）"},
        {"qty_zero", "qty 0 is zero", "数量不能为 0：0"},
        {"not_an_integer", "qty is not an integer: \"two\"", "数量“two”不是整数"},
        {"empty", "seller_id is empty", "销售方为空"},
        {"not_utf8", "buyer_id is not UTF-8 text (a GBK file needs --encoding gbk)",
         "购买方不是 UTF-8 文本（GBK 文件请选 GBK 编码）"},
        {"qty_out_of_range", "qty out of range: 5000000000", "数量超出范围：5000000000"},
        {"unreadable", "", "该行无法按 CSV 读取"},
    };
    for (std::size_t i = 0; i < 7; ++i) {
        INFO(read.errors[i].message);
        CHECK(read.errors[i].line == i + 2);
        CHECK(read.errors[i].code == expected[i].code);
        CHECK(read.errors[i].message.find(expected[i].english) == 0);
        CHECK(read.errors[i].chinese.find(expected[i].chinese) == 0);
    }
}
