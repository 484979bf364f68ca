// What today holds for the rep (agent/today.h), read from the outbox's
// database: the plan in its order with distances and done marks, and the
// terminals nearby outside the plan.

#include <doctest/doctest.h>

#include <SQLiteCpp/Statement.h>

#include <sstream>
#include <string>

#include "agent/outbox.h"
#include "agent/plan_command.h"
#include "agent/plan_held.h"
#include "agent/scratch_state.h"
#include "agent/today.h"
#include "core/clock.h"
#include "core/effectiveness.h"
#include "core/geo.h"

using namespace fieldflow;

namespace {

// Handheld dev-001 of rep R1, the terminals and plan it holds written into
// its outbox by each test.
struct HandheldWithPlan {
    test::ScratchState dir;
    agent::Outbox outbox{dir.path()};
    std::int64_t now = core::unix_now_ms();
    core::Day day = core::china_day(now);

    HandheldWithPlan() { outbox.init({"dev-001", "R1"}); }

    void terminal(const std::string& id, double lat, double lon) {
        SQLite::Statement q(outbox.database(),
                            "INSERT INTO master_terminals (terminal, name, address, kind, "
                            "territory, lat, lon, radius_m, grade) VALUES (?1, ?2, ?3, 'pharmacy', "
                            "'CN-SH-PD', ?4, ?5, 100, 'A')");
        q.bind(1, id);
        q.bind(2, "药房 " + id);
        q.bind(3, "上海市浦东新区 " + id + " 号");
        q.bind(4, lat);
        q.bind(5, lon);
        q.exec();
    }
    void planned(core::Day on, int order, const std::string& id) {
        SQLite::Statement q(outbox.database(),
                            "INSERT INTO plan_visits (day, position, terminal, purpose) "
                            "VALUES (?1, ?2, ?3, '')");
        q.bind(1, on);
        q.bind(2, order);
        q.bind(3, id);
        q.exec();
    }
};

core::Fix at(double lat, double lon) {
    core::Fix fix;
    fix.lat = lat;
    fix.lon = lon;
    return fix;
}

}  // namespace

TEST_CASE_FIXTURE(HandheldWithPlan,
                  "today: the plan in its order, with distances from the fix and done marks, and "
                  "the terminals nearby outside it nearest first") {
    const double lat = 31.2300, lon = 121.5000;
    terminal("T1", lat, lon + 0.0100);  // about 950 m east
    terminal("T2", lat + 0.0050, lon);  // about 556 m north
    terminal("T3", lat + 0.0010, lon);  // about 111 m north, not planned
    terminal("T4", lat + 0.0200, lon);  // about 2.2 km north, not planned
    terminal("T5", lat + 0.0400, lon);  // about 4.4 km north: too far to be nearby
    terminal("T6", lat, lon - 0.0010);  // planned yesterday only
    // Listed out of order: today's plan is T2 first, then T1, then T9,
    // which the master data does not (or no longer) hold.
    planned(day, 2, "T1");
    planned(day, 1, "T2");
    planned(day, 3, "T9");
    planned(day - 1, 1, "T6");
    outbox.check_in({"T1", lat, lon + 0.0100, 8});

    auto listed = agent::today(outbox, at(lat, lon), this->now);
    CHECK(listed.day == core::format_date(day));
    REQUIRE(listed.plan.size() == 3);
    CHECK(listed.plan[0].terminal == "T2");
    CHECK(listed.plan[0].order == 1);
    CHECK(listed.plan[0].name == "药房 T2");
    CHECK(listed.plan[0].address == "上海市浦东新区 T2 号");
    CHECK(listed.plan[0].radius_m == 100);
    REQUIRE(listed.plan[0].distance_m);
    CHECK(*listed.plan[0].distance_m ==
          doctest::Approx(core::distance_m(lat, lon, lat + 0.005, lon)));
    CHECK(*listed.plan[0].distance_m == doctest::Approx(556).epsilon(0.01));
    CHECK_FALSE(listed.plan[0].done);
    CHECK(listed.plan[1].terminal == "T1");
    CHECK(listed.plan[1].order == 2);
    CHECK(listed.plan[1].done);
    CHECK(*listed.plan[1].distance_m == doctest::Approx(951).epsilon(0.01));
    CHECK(listed.plan[2].terminal == "T9");
    CHECK(listed.plan[2].name == "");
    CHECK_FALSE(listed.plan[2].distance_m);

    REQUIRE(listed.nearby.size() == 3);
    CHECK(listed.nearby[0].terminal == "T6");  // 95 m west
    CHECK(listed.nearby[1].terminal == "T3");
    CHECK(listed.nearby[2].terminal == "T4");
    CHECK(listed.nearby[0].order == 0);
    for (const auto& stop : listed.nearby) CHECK(*stop.distance_m <= agent::nearby_radius_m);

    // Without a fix: the plan without distances, nothing nearby.
    auto blind = agent::today(outbox, std::nullopt, this->now);
    REQUIRE(blind.plan.size() == 3);
    CHECK_FALSE(blind.plan[0].distance_m);
    CHECK(blind.plan[1].done);
    CHECK(blind.nearby.empty());

    // Tomorrow nothing is planned, and today's check-in is not done then.
    auto tomorrow = agent::today(outbox, at(lat, lon), this->now + 86'400'000);
    CHECK(tomorrow.plan.empty());
    for (const auto& stop : tomorrow.nearby) CHECK_FALSE(stop.done);
}

TEST_CASE_FIXTURE(HandheldWithPlan, "today: at most ten terminals nearby") {
    for (int i = 0; i < 15; ++i) terminal("N" + std::to_string(10 + i), 31.23 + i * 1e-4, 121.5);
    auto listed = agent::today(outbox, at(31.23, 121.5), this->now);
    REQUIRE(listed.nearby.size() == agent::nearby_limit);
    CHECK(listed.nearby.front().terminal == "N10");
    CHECK(listed.nearby.back().terminal == "N19");
}

TEST_CASE_FIXTURE(HandheldWithPlan,
                  "today: printed in Chinese under a zh_CN locale, as JSON otherwise") {
    terminal("T1", 31.23, 121.51);
    planned(day, 1, "T1");
    outbox.check_in({"T1", 31.23, 121.51, 8});
    auto listed = agent::today(outbox, at(31.23, 121.50), this->now);
    setenv("LC_ALL", "zh_CN.UTF-8", 1);
    std::ostringstream zh;
    agent::print_today(listed, false, zh);
    unsetenv("LC_ALL");
    CHECK(zh.str() == core::format_date(day) +
                          " 今日计划拜访 1 家,已拜访 1 家\n"
                          "  1  T1  药房 T1  上海市浦东新区 T1 号  951 m  已拜访\n");
    std::ostringstream json;
    agent::print_today(listed, true, json);
    CHECK(json.str() == "{\"day\":\"" + core::format_date(day) +
                            "\",\"nearby\":[],\"plan\":[{\"address\":\"上海市浦东新区 T1 "
                            "号\",\"distance_m\":951.0,\"done\":true,\"name\":\"药房 "
                            "T1\",\"order\":1,\"radius_m\":100.0,\"terminal\":\"T1\"}]}\n");
}

TEST_CASE_FIXTURE(HandheldWithPlan, "plan: a new day asks for the plan's window again") {
    CHECK(agent::plan_version_to_ask(outbox.database(), now) == 0);
    SQLite::Statement held(outbox.database(),
                           "INSERT INTO plan_held (id, version, first_day, last_day) "
                           "VALUES (1, 4, ?1, ?2)");
    held.bind(1, day - 1);
    held.bind(2, day + 7);
    held.exec();
    CHECK(agent::plan_version_to_ask(outbox.database(), now) == 4);
    CHECK(agent::plan_version_to_ask(outbox.database(), now + 86'400'000) == 0);
}

TEST_CASE_FIXTURE(HandheldWithPlan, "plan: the plan held, day by day, with names and done marks") {
    terminal("T1", 31.23, 121.51);
    SQLite::Statement held(outbox.database(),
                           "INSERT INTO plan_held (id, version, first_day, last_day) "
                           "VALUES (1, 3, ?1, ?2)");
    held.bind(1, day - 1);
    held.bind(2, day + 7);
    held.exec();
    planned(day, 1, "T1");
    planned(day, 2, "T9");
    planned(day + 2, 1, "T1");
    outbox.check_in({"T1", 31.23, 121.51, 8});

    std::ostringstream all;
    setenv("LC_ALL", "C", 1);
    agent::print_plan(outbox, std::nullopt, false, now, all);
    CHECK(all.str() == core::format_date(day) +
                           ": 2 planned visits (plan version 3)\n"
                           "  1  T1  药房 T1  上海市浦东新区 T1 号  done\n"
                           "  2  T9\n" +
                           core::format_date(day + 2) +
                           ": 1 planned visit (plan version 3)\n"
                           "  1  T1  药房 T1  上海市浦东新区 T1 号\n");
    std::ostringstream none;
    agent::print_plan(outbox, core::format_date(day + 1), false, now, none);
    CHECK(none.str() == "no plan for " + core::format_date(day + 1) + "\n");
    unsetenv("LC_ALL");

    std::ostringstream json;
    agent::print_plan(outbox, core::format_date(day), true, now, json);
    CHECK(json.str() ==
          "{\"days\":[{\"day\":\"" + core::format_date(day) +
              "\",\"visits\":[{\"address\":\"上海市浦东新区 T1 号\",\"done\":true,"
              "\"name\":\"药房 T1\",\"order\":1,\"purpose\":\"\",\"terminal\":\"T1\"},"
              "{\"address\":\"\",\"done\":false,\"name\":\"\",\"order\":2,"
              "\"purpose\":\"\",\"terminal\":\"T9\"}]}],\"plan_version\":3}\n");
    std::ostringstream ignored;
    CHECK_THROWS_WITH(agent::print_plan(outbox, std::string("2026-02-30"), false, now, ignored),
                      "--day 2026-02-30 is not a date (YYYY-MM-DD)");
}
