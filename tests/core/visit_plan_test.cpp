// The plan CSV: rows checked against the master data, each bad one named by
// its line, and written back as it is read.

#include "core/visit_plan.h"

#include <doctest/doctest.h>

#include <sstream>

using namespace fieldflow::core;

namespace {

MasterData rep_in_shanghai_and_terminals() {
    MasterData m;
    auto terminal = [&](const char* id, const char* territory) {
        Terminal t;
        t.id = id;
        t.name = std::string("药房") + id;
        t.territory = territory;
        m.terminals.emplace(id, t);
    };
    terminal("T1", "CN-SH-PD");
    terminal("T2", "CN-ZJ-HZ");
    terminal("T3", "CN-SH-XH");
    Rep r;
    r.id = "R1";
    r.territory = "CN-SH";
    m.reps.emplace("R1", r);
    return m;
}

PlanLoad read(const std::string& text) {
    std::istringstream in(text);
    return read_plan_csv(in, "plan.csv", rep_in_shanghai_and_terminals());
}

}  // namespace

TEST_CASE("visit plan: rows read in any column order, sorted by rep, day and order") {
    auto load = read(
        "order,rep_id,terminal_id,date,purpose\n"
        "2,R1,T1,2026-03-02,新品推广\n"
        "1,R1,T3,2026-03-02,\"陈列检查, 库存\"\n");
    REQUIRE(load.errors.empty());
    REQUIRE(load.visits.size() == 2);
    CHECK(load.visits[0] ==
          PlannedVisit{"R1", *parse_date("2026-03-02"), "T3", "陈列检查, 库存", 1});
    CHECK(load.visits[1].terminal == "T1");
    // Written back, it reads the same.
    CHECK(read(plan_csv(load.visits)).visits == load.visits);
}

TEST_CASE("visit plan: each bad row is named by its line, with the reason") {
    auto load = read(
        "rep_id,date,terminal_id,purpose,order\n"
        "R1,2026-03-02,T1,,1\n"
        "R9,2026-03-02,T1,,2\n"
        "R1,2026-03-02,T9,,2\n"
        "R1,2026-03-02,T2,,2\n"
        "R1,2026-02-30,T1,,1\n"
        "R1,2026-03-02,T1,,3\n"
        "R1,2026-03-02,T3,,1\n"
        "R1,2026-03-03,T3,,0\n");
    REQUIRE(load.errors.size() == 7);
    auto at = [&](unsigned line) {
        for (const auto& e : load.errors)
            if (e.line == line) return e.file + ":" + std::to_string(e.line) + ": " + e.message;
        return std::string("no error on line ") + std::to_string(line);
    };
    CHECK(at(3) == "plan.csv:3: unknown rep R9 (not in the master data)");
    CHECK(at(4) == "plan.csv:4: unknown terminal T9 (not in the master data)");
    CHECK(at(5) == "plan.csv:5: terminal T2 is in CN-ZJ-HZ, outside rep R1's territory CN-SH");
    CHECK(at(6) == "plan.csv:6: date is not a day (YYYY-MM-DD): \"2026-02-30\"");
    CHECK(at(7) == "plan.csv:7: terminal T1 is planned twice for rep R1 on 2026-03-02");
    CHECK(at(8) == "plan.csv:8: order 1 of rep R1 on 2026-03-02 is taken by line 2");
    CHECK(at(9) == "plan.csv:9: order is a stop's place in the day, from 1 to 1000, not 0");
    CHECK(load.visits.size() == 1);

    // Each with its stable code and its words in Chinese for the operator.
    auto zh = [&](unsigned line) {
        for (const auto& e : load.errors)
            if (e.line == line) return e.code + " " + e.chinese;
        return std::string("no error on line ") + std::to_string(line);
    };
    CHECK(zh(3) == "unknown_rep 主数据中没有代表 R9");
    CHECK(zh(4) == "unknown_terminal 主数据中没有终端 T9");
    CHECK(zh(5) == "outside_territory 终端 T2 属于 CN-ZJ-HZ，不在代表 R1 的辖区 CN-SH 内");
    CHECK(zh(6) == "not_a_date 日期“2026-02-30”不是有效日期（应为 YYYY-MM-DD）");
    CHECK(zh(7) == "planned_twice 终端 T1 在 2026-03-02 已为代表 R1 计划过");
    CHECK(zh(8) == "order_taken 代表 R1 在 2026-03-02 的顺序 1 已被第 2 行使用");
    CHECK(zh(9) == "order_out_of_range 顺序是当天第几站，须为 1 到 1000，而不是 0");
}

TEST_CASE("visit plan: a file without the plan's columns is one error on line 1") {
    auto load = read("rep,day,terminal\nR1,2026-03-02,T1\n");
    REQUIRE(load.errors.size() == 1);
    CHECK(load.errors[0].line == 1);
    CHECK(load.visits.empty());
}
