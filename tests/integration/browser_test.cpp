// The dashboard in a real browser (Debian's Chromium, driven by
// playwright-core from tests/browser): a reviewer logs in to the page in
// Chinese, sees the ingest count rise while simulated handhelds upload,
// approves a flagged record, which the store and the audit log then hold,
// and switches to English and back. Then the gateway restarts, and its
// charts say they have no data yet and no device is online.

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <thread>

#include "core/clock.h"
#include "schemas/record_codec.h"

#include "support/gateway_process.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/scratch_store.h"
#include "support/wire_client.h"

using namespace fieldflow::test;

namespace {

// `arguments` go after the login, before the screenshot (shell words).
RunResult browse(const std::string& script, const std::string& address,
                 const std::string& arguments = "") {
    // FIELDFLOW_SCREENSHOTS=DIR keeps what the browser saw, to look at.
    const char* shots = std::getenv("FIELDFLOW_SCREENSHOTS");
    std::string screenshot =
        shots ? " '" + std::string(shots) + "/" + script.substr(0, script.find('.')) + ".png'" : "";
    return run(
        {"/bin/sh", "-c",
         "node " + std::string(FIELDFLOW_SOURCE_DIR) + "/tests/browser/" + script + " http://" +
             address + "/ chen 'night shift 42' " + arguments + screenshot + " 2>&1"},
        std::chrono::seconds(120));
}

int add_reviewer(const std::string& db) {
    return add_operator(db, "chen", "reviewer", "night shift 42");
}

// A gateway with its dashboard on the master fixture, and chen, a reviewer.
struct Console {
    TempDir dir;
    std::string db = dir.store("gateway.db"), master = write_master_fixture(dir.path());
    GatewayProcess gateway{master, db, "127.0.0.1:0", dir / "gateway.log",
                           std::vector<std::string>{"--http", "127.0.0.1:0"}};
    Console() { REQUIRE(add_reviewer(db) == 0); }
};

}  // namespace

// The pages call the API that the dashboard suite checks on both stores.
TEST_CASE("browser: a reviewer watches ingest rise and approves a flagged record, in Chinese" *
          doctest::test_suite("no gateway store")) {
    TempDir dir;
    std::string db = dir.store("gateway.db"), master = write_master_fixture(dir.path());
    // Each device at 40 records a second: the upload lasts long enough to watch.
    std::optional<GatewayProcess> gateway;
    gateway.emplace(master, db, "127.0.0.1:0", dir / "gateway.log",
                    std::vector<std::string>{"--http", "127.0.0.1:0", "--max-device-rate", "40"});
    REQUIRE(add_reviewer(db) == 0);
    {
        WireClient device(gateway->address());
        REQUIRE(device.handshake("dev-001"));
        device.batch({check_in_record("dev-001", 1, "T1", 31.3000, 121.6000)});  // far away
        REQUIRE(device.receive()->isAck());
    }

    Process fleet({binary("fieldflow"), "loadgen", "--gateway", gateway->address(), "--master",
                   master, "--agents", "3", "--records", "900", "--batch", "10"},
                  dir / "loadgen.log");
    auto browser = browse("dashboard.mjs", gateway->http_address());
    INFO(browser.out);
    CHECK(browser.code == 0);
    CHECK(browser.out.find("ingest count seen rising") != std::string::npos);
    CHECK(browser.out.find("a device without a connection is shown 空闲 (idle)") !=
          std::string::npos);

    CHECK(store_scalar(db,
                       "SELECT count(*) FROM reviews WHERE decision = 'approve' AND by = "
                       "'chen'") == 1);
    CHECK(store_scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'flag approved'") == 1);
    CHECK(fleet.wait(std::chrono::seconds(60)) == 0);

    // Restarted, with nothing new: the charts have nothing to draw.
    gateway.reset();
    gateway.emplace(master, db, "127.0.0.1:0", dir / "gateway-restarted.log",
                    std::vector<std::string>{"--http", "127.0.0.1:0"});
    auto restarted = browse("restarted.mjs", gateway->http_address());
    INFO(restarted.out);
    CHECK(restarted.code == 0);
    CHECK(restarted.out.find("restarted: charts show no data yet") != std::string::npos);
}

// The drawing's data comes from the API the checkin map suite checks on both stores.
TEST_CASE(
    "browser: a reviewer sees a check-in flagged impossible_travel drawn with the day's path" *
    doctest::test_suite("no gateway store")) {
    Console console;
    // Ten minutes apart from 22:23 China time (support/wire_client.h): at T1,
    // 300 m north of T2 in Hangzhou, at T1 again.
    WireClient device(console.gateway.address());
    REQUIRE(device.handshake("dev-001"));
    device.batch({check_in_record("dev-001", 1, "T1", 31.2304, 121.5060),
                  check_in_record("dev-001", 2, "T2", 30.2590 + 300 / 111195.0, 120.1300),
                  check_in_record("dev-001", 3, "T1", 31.2304, 121.5060)});
    REQUIRE(device.receive()->isAck());

    auto browser = browse("checkin_drawing.mjs", console.gateway.http_address());
    INFO(browser.out);
    CHECK(browser.code == 0);
    CHECK(browser.out.find("drawn: terminal, geofence, fix") != std::string::npos);
}

// The drop itself is the retention suite's; here only what the reviewer sees of it.
TEST_CASE("browser: a check-in whose fix's retention ended shows its distance and no position" *
          doctest::test_suite("no gateway store")) {
    TempDir dir;
    std::string db = dir.store("gateway.db"), master = write_master_fixture(dir.path());
    REQUIRE(add_reviewer(db) == 0);
    {
        GatewayProcess keeping(master, db, "127.0.0.1:0", dir / "keeping.log");
        WireClient device(keeping.address());
        REQUIRE(device.handshake("dev-001"));
        // Forty days ago, 14 km from T1: flagged.
        device.batch({fieldflow::wire::encode_record(fieldflow::core::Record{
            "dev-001", 1, "R1", fieldflow::core::unix_now_ms() - 40 * 86'400'000LL,
            fieldflow::core::CheckIn{"T1", 31.3187, 121.6099, 5}})});
        REQUIRE(device.receive()->isAck());
    }
    GatewayProcess gateway(master, db, "127.0.0.1:0", dir / "gateway.log",
                           {"--http", "127.0.0.1:0", "--location-retention-days", "30"});
    for (int tries = 0;
         tries < 100 && store_scalar(db,
                                     "SELECT count(*) FROM records WHERE "
                                     "fix_at IS NOT NULL AND fix_nonce IS NULL") == 0;
         ++tries)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));

    auto browser = browse("dropped_fix.mjs", gateway.http_address());
    INFO(browser.out);
    CHECK(browser.code == 0);
    CHECK(browser.out.find("dropped fix shown: 精确位置 已过保留期删除，仅保留距离") !=
          std::string::npos);
}

// The counts come from the API the plan command suite checks; here only
// that the page lays them out, headed in Chinese and then in English.
TEST_CASE("browser: the books tab shows each rep's day planned against done, in Chinese" *
          doctest::test_suite("no gateway store")) {
    Console console;
    std::string plan = console.dir / "plan.csv";
    std::ofstream(plan) << "rep_id,date,terminal_id,purpose,order\n"
                           "R1,2026-09-21,T1,,1\n"
                           "R2,2026-09-21,T2,,1\n";
    REQUIRE(
        run({binary("fieldflow"), "master", "import", console.master, "--db", console.db}).code ==
        0);
    REQUIRE(run({binary("fieldflow"), "plan", "import", plan, "--db", console.db}).code == 0);
    // At 22:23 on 2026-09-21 China time (support/wire_client.h) R1 checks
    // in at T1, as planned; R2 never reaches T2.
    WireClient device(console.gateway.address());
    REQUIRE(device.handshake("dev-001"));
    device.batch({check_in_record("dev-001", 1, "T1", 31.2304, 121.5060)});
    REQUIRE(device.receive()->isAck());

    auto browser = browse("plan_actual.mjs", console.gateway.http_address(), "2026-09");
    INFO(browser.out);
    CHECK(browser.code == 0);
    CHECK(browser.out.find("plan against actual: R1 2026-09-21 1 1 0 0; R2 2026-09-21 1 0 1 0\n") !=
          std::string::npos);
    CHECK(browser.out.find("the table's headers switch to English") != std::string::npos);
}

// The routes' checks are in the book actions suite, on both stores; here
// the page: the preview with its bad row by line, the confirm, the close.
TEST_CASE("browser: a reviewer uploads a GBK flow file, confirms its preview and closes the month" *
          doctest::test_suite("no gateway store")) {
    Console console;
    std::string file = console.dir / "流向三月.csv";
    // 上海医药 in GBK, and a row whose date does not exist.
    std::ofstream(file, std::ios::binary)
        << "flow_id,date,seller_id,buyer_id,product_id,lot,qty\n"
           "F1,2026-03-01,D1,\xc9\xcf\xba\xa3\xd2\xbd\xd2\xa9,P1,L1,5\n"
           "F2,2026-02-30,D1,T1,P1,L1,5\n"
           "F3,2026-03-03,D1,T2,P1,L1,2\n";
    auto browser =
        browse("book_actions.mjs", console.gateway.http_address(), "'" + file + "' 2026-03");
    INFO(browser.out);
    CHECK(browser.code == 0);
    CHECK(browser.out.find("preview: 流向三月.csv（GBK）：将入库 2 行 · 已存在 0 行 · 错误 1 行") !=
          std::string::npos);
    CHECK(browser.out.find(
              "bad rows: 3 日期“2026-02-30”不是有效日期（应为 YYYY-MM-DD） not_a_date") !=
          std::string::npos);
    CHECK(browser.out.find("bad rows in English: 3 date is not a date (YYYY-MM-DD): \"2026-02-30\" "
                           "not_a_date") != std::string::npos);
    CHECK(browser.out.find("period log: 2026-03 关账 月度报表已报送 chen") != std::string::npos);
    CHECK(store_scalar(console.db, "SELECT count(*) FROM flows") == 2);
    CHECK(store_scalar(console.db, "SELECT count(*) FROM closed_periods") == 1);
    CHECK(store_scalar(console.db,
                       "SELECT count(DISTINCT action) FROM audit_log WHERE actor = 'chen' AND "
                       "action IN "
                       "('file imported', 'period closed')") == 2);
}

TEST_CASE("browser: a reviewer limited to Shanghai sees its records and no books' work" *
          doctest::test_suite("no gateway store")) {
    TempDir dir;
    std::string db = dir.store("gateway.db"), master = write_master_fixture(dir.path());
    GatewayProcess gateway{master, db, "127.0.0.1:0", dir / "gateway.log",
                           std::vector<std::string>{"--http", "127.0.0.1:0"}};
    REQUIRE(add_operator(db, "chen", "reviewer", "night shift 42", "CN-SH") == 0);
    // Far from T1 in Shanghai and from T2 in Zhejiang: both flagged.
    WireClient one(gateway.address());
    REQUIRE(one.handshake("dev-001", "R1"));
    one.batch({check_in_record("dev-001", 1, "T1", 31.3000, 121.6000, "R1")});
    REQUIRE(one.receive()->isAck());
    WireClient two(gateway.address());
    REQUIRE(two.handshake("dev-002", "R2"));
    two.batch({check_in_record("dev-002", 1, "T2", 30.4000, 120.3000, "R2")});
    REQUIRE(two.receive()->isAck());

    auto browser = browse("territory_scope.mjs", gateway.http_address());
    INFO(browser.out);
    CHECK(browser.code == 0);
    CHECK(browser.out.find("review: 1 card") != std::string::npos);
}

TEST_CASE("browser: an admin reads the audit log in Chinese, newest first, and filters it by kind" *
          doctest::test_suite("no gateway store")) {
    TempDir dir;
    std::string db = dir.store("gateway.db"), master = write_master_fixture(dir.path());
    GatewayProcess gateway{master, db, "127.0.0.1:0", dir / "gateway.log",
                           std::vector<std::string>{"--http", "127.0.0.1:0"}};
    REQUIRE(add_operator(db, "chen", "admin", "night shift 42") == 0);
    WireClient device(gateway.address());
    REQUIRE(device.handshake("dev-001"));
    device.batch({check_in_record("dev-001", 1, "T1", 31.2304, 121.5060),
                  check_in_record("dev-001", 2, "T1", 31.2304, 121.5060)});
    REQUIRE(device.receive()->isAck());

    auto browser = browse("audit_log.mjs", gateway.http_address());
    INFO(browser.out);
    CHECK(browser.code == 0);
    CHECK(browser.out.find("newest: ") != std::string::npos);
    CHECK(browser.out.find("| chen | 登录失败 | 账户与登录 | from 127.0.0.1") != std::string::npos);
    CHECK(browser.out.find("verified: 哈希链完整") != std::string::npos);
    CHECK(store_scalar(db,
                       "SELECT count(*) FROM audit_log WHERE action = 'login failed' AND "
                       "actor = 'chen'") == 1);
}
