// The visit plan brought down to the handheld by sync (docs/protocol.md,
// "Downlink"), against a gateway in the test's process whose store gets
// plans imported while it runs. Named `sync:` so that they run with the
// gateway's store in PostgreSQL too.

#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "agent/master_apply.h"
#include "agent/plan_held.h"
#include "agent/status.h"
#include "agent/today.h"
#include "agent/with_gateway/downlink_handheld.h"
#include "core/clock.h"
#include "core/effectiveness.h"

using namespace fieldflow;
using test::HandheldBesideGateway;
using test::held;
using test::import_plan;
using test::import_while_running;
using test::terminal;

namespace {

// The plan held for `day`, as "order:terminal" in order, comma-separated.
std::string held_day(agent::Outbox& outbox, core::Day day) {
    std::string out;
    for (const auto& v : agent::held_visits(outbox.database(), day, day))
        out += (out.empty() ? "" : ",") + std::to_string(v.order) + ":" + v.terminal;
    return out;
}

// The fixture's master data with T3 and T4 in R1's Pudong as well.
core::MasterData with_pudong(const core::MasterData& master) {
    auto next = master;
    next.terminals.emplace("T3", terminal("T3", "CN-SH-PD", 31.2400, 121.5200));
    next.terminals.emplace("T4", terminal("T4", "CN-SH-PD", 31.2200, 121.5400));
    return next;
}

}  // namespace

TEST_CASE_FIXTURE(HandheldBesideGateway,
                  "sync: a plan imported reaches the handheld, a re-import replaces it and a "
                  "removed visit disappears") {
    import_while_running(gateway, with_pudong(gateway.master()));
    auto today = core::china_day(core::unix_now_ms());
    import_plan(gateway, {{"R1", today, "T1", "新品推广", 1},
                          {"R1", today, "T3", "", 2},
                          {"R1", today + 1, "T4", "陈列检查", 1},
                          {"R1", today + 10, "T4", "", 1},  // beyond the week ahead
                          {"R2", today, "T2", "", 1}});     // another rep's

    REQUIRE(sync_with_gateway() == 0);
    auto plan = agent::held_plan(outbox.database());
    REQUIRE(plan);
    CHECK(plan->version == 1);
    CHECK(plan->first == today - 1);
    CHECK(plan->last == today + 7);
    CHECK(held_day(outbox, today) == "1:T1,2:T3");
    CHECK(held_day(outbox, today + 1) == "1:T4");
    CHECK(held(outbox, "plan_visits", "terminal") == "T1,T3,T4");
    CHECK(agent::held_visits(outbox.database(), today, today)[0].purpose == "新品推广");
    CHECK(out.str().find("visit plan: version 1 (was 0), 3 visits") != std::string::npos);

    // Up to date: nothing comes, nothing is said.
    std::ostringstream again;
    REQUIRE(agent::sync(outbox, test::to(gateway.address(), again)) == 0);
    CHECK(again.str().find("visit plan") == std::string::npos);

    // Today re-planned: T1 dropped, T4 first.
    import_plan(gateway, {{"R1", today, "T4", "", 1}, {"R1", today, "T3", "", 2}});
    REQUIRE(sync_with_gateway() == 0);
    REQUIRE(agent::held_plan(outbox.database()));
    CHECK(agent::held_plan(outbox.database())->version == 2);
    CHECK(held_day(outbox, today) == "1:T4,2:T3");
    CHECK(held_day(outbox, today + 1) == "1:T4");

    std::ostringstream status;
    agent::print_status(outbox, status, true);
    CHECK(status.str().find(
              "\"plan_version\":2,\"plan_today\":{\"day\":\"" + core::format_date(today) +
              "\",\"done\":0,\"planned\":2,\"stops\":[{\"done\":false,\"order\":1,"
              "\"terminal\":\"T4\"},{\"done\":false,\"order\":2,\"terminal\":\"T3\"}]}") !=
          std::string::npos);
}

TEST_CASE_FIXTURE(HandheldBesideGateway,
                  "sync: a rep moved to another territory and plan gets the new plan and loses "
                  "the old") {
    import_while_running(gateway, with_pudong(gateway.master()));
    auto today = core::china_day(core::unix_now_ms());
    import_plan(gateway, {{"R1", today, "T1", "", 1}, {"R1", today + 1, "T3", "", 1}});
    REQUIRE(sync_with_gateway() == 0);
    REQUIRE(held(outbox, "plan_visits", "terminal") == "T1,T3");

    auto moved = with_pudong(gateway.master());
    moved.reps.at("R1").territory = "CN-ZJ";
    import_while_running(gateway, moved);
    import_plan(gateway, {{"R1", today, "T2", "", 1}, {"R1", today + 1, "T2", "", 1}});
    REQUIRE(sync_with_gateway() == 0);
    CHECK(held(outbox, "master_terminals", "terminal") == "T2");
    CHECK(held_day(outbox, today) == "1:T2");
    CHECK(held_day(outbox, today + 1) == "1:T2");
    CHECK(held(outbox, "plan_visits", "terminal") == "T2,T2");

    auto now = agent::today(outbox, std::nullopt, core::unix_now_ms());
    REQUIRE(now.plan.size() == 1);
    CHECK(now.plan[0].terminal == "T2");
    CHECK(now.plan[0].name != "");
}
