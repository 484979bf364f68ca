// off_plan and plan against actual.

#include "core/plan_rules.h"

#include <doctest/doctest.h>

using namespace fieldflow::core;

namespace {

MasterData three_terminals_in_pudong() {
    MasterData m;
    auto terminal = [&](const char* id, double lat, double lon) {
        Terminal t;
        t.id = id;
        t.territory = "CN-SH-PD";
        t.lat = lat;
        t.lon = lon;
        m.terminals.emplace(id, t);
    };
    terminal("T1", 31.2304, 121.5060);
    terminal("T2", 31.2400, 121.5060);  // about 1.1 km north of T1
    terminal("T3", 31.3000, 121.5060);
    return m;
}

// 2026-03-02 10:00 in China.
constexpr std::int64_t monday_10am = 1'772'416'800'000;
const Day monday = china_day(monday_10am);

Record check_in(const std::string& terminal, std::int64_t at_ms = monday_10am) {
    return {"dev-001", 1, "R1", at_ms, CheckIn{terminal, 0, 0, 10, FixJudgement::manual, 0}};
}

}  // namespace

TEST_CASE("plan rules: a check-in off the day's plan is flagged, naming the nearest planned") {
    REQUIRE(format_date(monday) == "2026-03-02");
    auto plans = day_plans({{"R1", monday, "T3", "", 2}, {"R1", monday, "T1", "", 1}});
    CHECK(plans.at({"R1", monday}) == std::vector<std::string>{"T1", "T3"});
    CHECK_FALSE(on_plan(check_in("T1"), plans, three_terminals_in_pudong()));
    auto off = on_plan(check_in("T2"), plans, three_terminals_in_pudong());
    REQUIRE(off);
    CHECK(off->code == ReasonCode::off_plan);
    CHECK(off->severity() == Outcome::flagged);
    CHECK(off->detail ==
          "terminal T2 is not in rep R1's plan for 2026-03-02 (2 planned; the nearest planned "
          "is T1, 1.1 km away)");
    CHECK(chinese_name(ReasonCode::off_plan) == "计划外拜访");
}

TEST_CASE("plan rules: no plan that day, another rep's plan, or no check-in: nothing") {
    auto plans = day_plans({{"R1", monday, "T1", "", 1}, {"R2", monday + 1, "T1", "", 1}});
    CHECK_FALSE(
        on_plan(check_in("T2", monday_10am + 86'400'000), plans, three_terminals_in_pudong()));
    Record other = check_in("T2");
    other.rep = "R3";
    CHECK_FALSE(on_plan(other, plans, three_terminals_in_pudong()));
    Record out{"dev-001", 2, "R1", monday_10am, CheckOut{"T2", 1, false}};
    CHECK_FALSE(on_plan(out, plans, three_terminals_in_pudong()));
}

TEST_CASE("plan rules: plan against actual counts planned, done, missed and unplanned") {
    std::vector<PlannedVisit> plans{
        {"R1", monday, "T1", "", 1}, {"R1", monday, "T2", "", 2}, {"R1", monday + 1, "T1", "", 1}};
    std::int64_t day = 86'400'000;
    std::vector<VisitMark> marks{
        {"dev-001", "R1", "T1", 1, monday_10am, true},
        {"dev-001", "R1", "T1", 2, monday_10am + 600'000, false},
        {"dev-001", "R1", "T3", 3, monday_10am + 3'600'000, true},
        {"dev-001", "R1", "T3", 4, monday_10am + 2 * day, true},  // a day without a plan
    };
    auto rows = plan_against_actual(plans, marks, period_of(monday), monday + 7);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0] == PlanAgainstActual{"R1", monday, 2, 1, 1, 1});
    CHECK(rows[1] == PlanAgainstActual{"R1", monday + 1, 1, 0, 1, 0});
    CHECK(rows[2] == PlanAgainstActual{"R1", monday + 2, 0, 0, 0, 1});
    CHECK(plan_against_actual(plans, marks, period_of(monday) + 1, monday + 7).empty());
    // On Tuesday, Tuesday's plan is not missed yet; Monday's is.
    auto tuesday = plan_against_actual(plans, marks, period_of(monday), monday + 1);
    CHECK(tuesday[0].missed == 1);
    CHECK(tuesday[1] == PlanAgainstActual{"R1", monday + 1, 1, 0, 0, 0});
}
