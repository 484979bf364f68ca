// Master data brought down to the handheld by sync (docs/protocol.md,
// "Downlink"), against a gateway in the test's process whose store gets new
// versions while it runs, as `fieldflow master import` gives them.

#include <doctest/doctest.h>

#include <chrono>
#include <sstream>
#include <string>
#include <thread>

#include "agent/check_in_place.h"
#include "agent/master_apply.h"
#include "agent/plan_command.h"
#include "agent/scratch_state.h"
#include "agent/status.h"
#include "agent/sync.h"
#include "agent/today.h"
#include "agent/with_gateway/frame_cut_relay.h"
#include "agent/with_gateway/downlink_handheld.h"
#include "agent/with_gateway/sync_to.h"
#include "core/clock.h"
#include "core/effectiveness.h"
#include "store/master_store.h"
#include "store/sql.h"
#include "support/in_process_gateway.h"
#include "support/scratch_store.h"

using namespace fieldflow;
using agent::Outbox;
using test::InProcessGateway;

using test::HandheldBesideGateway;
using test::held;
using test::import_while_running;
using test::terminal;
using test::to;

TEST_CASE_FIXTURE(HandheldBesideGateway,
                  "downlink: a device syncs and holds exactly its rep's slice of the master data") {
    CHECK(agent::master_version(outbox.database()) == 0);

    REQUIRE(sync_with_gateway() == 0);
    // R1 covers CN-SH: T1 (CN-SH-PD) and not T2 (CN-ZJ-HZ); both
    // distributors serve Shanghai; every product.
    CHECK(agent::master_version(outbox.database()) == 1);
    CHECK(held(outbox, "master_terminals", "terminal") == "T1");
    CHECK(held(outbox, "master_distributors", "distributor") == "D1,D2");
    CHECK(held(outbox, "master_products", "product") == "P1,P2");
    CHECK(out.str().find("master data: version 1 (was 0), 1 terminals known") != std::string::npos);
    std::ostringstream status;
    agent::print_status(outbox, status, true);
    CHECK(status.str().find("\"master_version\":1,\"terminals\":1") != std::string::npos);
    // The downloaded products are the scanning catalogue.
    auto catalog = outbox.catalog();
    REQUIRE(catalog.size() == 2);
    CHECK(catalog[0].gtin == "6901234567892");
    CHECK(catalog[0].drug_code_prefix == "8612345");

    // Up to date: the next sync changes nothing and says nothing of it.
    std::ostringstream again;
    REQUIRE(agent::sync(outbox, to(gateway.address(), again)) == 0);
    CHECK(agent::master_version(outbox.database()) == 1);
    CHECK(again.str().find("master data") == std::string::npos);
}

TEST_CASE_FIXTURE(
    HandheldBesideGateway,
    "downlink: a terminal imported while the gateway runs reaches the device, and a check-in "
    "there by --nearest is accepted") {
    REQUIRE(sync_with_gateway() == 0);

    auto next = gateway.master();
    next.terminals.emplace("T3", terminal("T3", "CN-SH-PD", 31.2400, 121.5200));
    import_while_running(gateway, next);

    REQUIRE(sync_with_gateway() == 0);
    CHECK(agent::master_version(outbox.database()) == 2);
    CHECK(held(outbox, "master_terminals", "terminal") == "T1,T3");

    // Standing 15 m from T3 (and about 1.6 km from T1).
    core::CheckIn in{"", 31.2401, 121.5201, 10};
    std::ostringstream said;
    agent::place_check_in(outbox, in, {"", true, {}}, said);
    CHECK(in.terminal == "T3");
    CHECK(said.str().find("nearest terminal: T3 (药房 T3), 15 m away") != std::string::npos);
    auto seq = outbox.check_in(in).seq;
    REQUIRE(sync_with_gateway() == 0);
    CHECK(test::store_scalar(gateway.db(),
                             "SELECT count(*) FROM records WHERE device = 'dev-001' AND seq = " +
                                 std::to_string(seq) + " AND verdict = 'accepted'") == 1);
}

TEST_CASE_FIXTURE(HandheldBesideGateway,
                  "downlink: a terminal's new address alone is a changed row that reaches the "
                  "device and its today list") {
    REQUIRE(sync_with_gateway() == 0);
    auto readdressed = gateway.master();
    readdressed.terminals.at("T1").address = "上海市浦东新区张杨路123号";
    import_while_running(gateway, readdressed);
    {
        auto db = store::sql::Database::open(gateway.db());
        auto versions = store::MasterStore(*db, store::MasterStore::Tables::existing).versions();
        REQUIRE(versions.size() == 2);
        CHECK(versions[1].terminals.changed == 1);
        CHECK(versions[1].terminals.added + versions[1].terminals.removed == 0);
    }

    REQUIRE(sync_with_gateway() == 0);
    CHECK(agent::master_version(outbox.database()) == 2);
    CHECK(held(outbox, "master_terminals", "address") == "上海市浦东新区张杨路123号");
    // Standing beside T1: it is offered nearby with its address, as the
    // handheld's page and `today --json` show it.
    core::Fix here;
    here.lat = 31.2304;
    here.lon = 121.5060;
    auto day = agent::today(outbox, here, core::unix_now_ms());
    REQUIRE(day.nearby.size() == 1);
    CHECK(day.nearby[0].address == "上海市浦东新区张杨路123号");
    CHECK(agent::today_json(day)["nearby"][0]["address"] == "上海市浦东新区张杨路123号");
}

TEST_CASE_FIXTURE(
    HandheldBesideGateway,
    "downlink: a rep moved to another territory gets the new slice and loses the old") {
    REQUIRE(sync_with_gateway() == 0);
    REQUIRE(held(outbox, "master_terminals", "terminal") == "T1");

    auto moved = gateway.master();
    moved.reps.at("R1").territory = "CN-ZJ";
    import_while_running(gateway, moved);
    REQUIRE(sync_with_gateway() == 0);
    CHECK(agent::master_version(outbox.database()) == 2);
    CHECK(held(outbox, "master_terminals", "terminal") == "T2");
    // D2 serves Pudong only; D1 serves Zhejiang too.
    CHECK(held(outbox, "master_distributors", "distributor") == "D1");
    CHECK(held(outbox, "master_products", "product") == "P1,P2");
}

TEST_CASE_FIXTURE(
    HandheldBesideGateway,
    "downlink: a connection dropped during the downlink leaves the device on its old master "
    "data and plan, and the next sync completes both") {
    REQUIRE(sync_with_gateway() == 0);

    // Enough new terminals for a delta of more than one part.
    auto grown = gateway.master();
    for (int i = 0; i < 3000; ++i) {
        auto id = "S" + std::to_string(10000 + i);
        grown.terminals.emplace(id, terminal(id, "CN-SH-PD", 31.1 + i * 1e-4, 121.4 + i * 1e-4));
    }
    import_while_running(gateway, grown);
    auto today = core::china_day(core::unix_now_ms());
    test::import_plan(gateway, {{"R1", today, "T1", "", 1}});
    REQUIRE_FALSE(agent::held_plan(outbox.database()));
    outbox.check_in({"T1", 31.2304, 121.5060, 8});

    // The first part arrives whole, then the network goes.
    test::FrameCutRelay relay(gateway.port(), 1);
    auto options = to(relay.address(), out);
    options.retry_for = std::chrono::seconds(0);
    CHECK(agent::sync(outbox, options) == 75);
    CHECK(relay.cut() == 1);
    CHECK(agent::master_version(outbox.database()) == 1);
    CHECK(agent::terminals_known(outbox.database()) == 1);
    // The plan came in the last part, which never arrived.
    CHECK_FALSE(agent::held_plan(outbox.database()));
    CHECK(held(outbox, "plan_visits", "terminal") == "");
    CHECK(outbox.depth() == 1);

    options.retry_for = std::chrono::seconds(30);
    REQUIRE(agent::sync(outbox, options) == 0);
    CHECK(agent::master_version(outbox.database()) == 2);
    CHECK(agent::terminals_known(outbox.database()) == 3001);
    REQUIRE(agent::held_plan(outbox.database()));
    CHECK(agent::held_plan(outbox.database())->version == 1);
    CHECK(held(outbox, "plan_visits", "terminal") == "T1");
    CHECK(outbox.depth() == 0);
}

TEST_CASE_FIXTURE(
    HandheldBesideGateway,
    "checkin: beyond the terminal's radius plus the fix's accuracy the agent wants a reason, "
    "and the reviewer reads it") {
    // No master data yet: --nearest says so.
    core::CheckIn nowhere{"", 31.2304, 121.5060, 8};
    std::ostringstream said;
    CHECK_THROWS_WITH_AS(agent::place_check_in(outbox, nowhere, {"", true, {}}, said),
                         doctest::Contains("it has none yet: sync to download them"),
                         agent::Refused);

    REQUIRE(sync_with_gateway() == 0);
    // About 600 m east of T1 (radius 100 m), the fix good to 20 m.
    core::CheckIn far{"", 31.2304, 121.5123, 20};
    CHECK_THROWS_WITH_AS(agent::place_check_in(outbox, far, {"T1", false, {}}, said),
                         doctest::Contains("farther than its radius of 100 m plus the fix's "
                                           "accuracy of 20 m: to check in there anyway, say why "
                                           "with --reason TEXT"),
                         agent::Refused);
    CHECK(outbox.depth() == 0);
    agent::place_check_in(outbox, far, {"T1", false, std::string("药房搬到了对面")}, said);
    CHECK(far.reason == "药房搬到了对面");
    outbox.check_in(far);
    REQUIRE(sync_with_gateway() == 0);
    CHECK(test::store_scalar(
              gateway.db(),
              "SELECT count(*) FROM record_reasons WHERE code = 'outside_geofence' AND detail "
              "LIKE '%the rep''s reason: 药房搬到了对面'") == 1);
}

TEST_CASE_FIXTURE(HandheldBesideGateway,
                  "downlink: the rep's role comes with the master data, a new role with the next "
                  "version, and master data held without it is sent whole once") {
    CHECK(agent::rep_role(outbox.database()).empty());
    REQUIRE(sync_with_gateway() == 0);
    CHECK(agent::rep_role(outbox.database()) == "retail");

    // R1 becomes a commercial rep, and nothing else changes.
    auto promoted = gateway.master();
    promoted.reps.at("R1").role = core::RepRole::commercial;
    import_while_running(gateway, promoted);
    REQUIRE(sync_with_gateway() == 0);
    CHECK(agent::master_version(outbox.database()) == 2);
    CHECK(agent::rep_role(outbox.database()) == "commercial");

    // As an agent from before the role left its outbox: version 2 held, no
    // role. It asks for its slice whole, and gets the role with it.
    outbox.database().exec("DELETE FROM rep_held");
    CHECK(agent::master_version_to_ask(outbox.database()) == 0);
    std::ostringstream again;
    REQUIRE(agent::sync(outbox, to(gateway.address(), again)) == 0);
    CHECK(again.str().find("master data: version 2 (was 0)") != std::string::npos);
    CHECK(held(outbox, "master_terminals", "terminal") == "T1");
    CHECK(agent::rep_role(outbox.database()) == "commercial");
    CHECK(agent::master_version_to_ask(outbox.database()) == 2);
}
