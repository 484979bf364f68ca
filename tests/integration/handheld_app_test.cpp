// The rep's app in a real browser (tests/browser/handheld_*.mjs): Debian's
// Chromium on a phone's screen drives the page `fieldflow-agent serve`
// serves, with a gpsd and a scan engine of the test's, against a real
// gateway; what the page confirmed reaches the gateway with no sync
// command, even when serve is killed in the middle of a visit.

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

#include "support/gateway_process.h"
#include "support/handheld.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/scratch_store.h"

using namespace fieldflow::test;

namespace {

// Today as the plan's days are counted: China Standard Time, UTC+8.
std::string china_today() {
    std::time_t now = std::time(nullptr) + 8 * 3600;
    std::tm day{};
    gmtime_r(&now, &day);
    char text[11];
    std::strftime(text, sizeof text, "%Y-%m-%d", &day);
    return text;
}

// The master fixture with, in R1's territory, T3 900 m east of T1 and T4
// some 12 km away, further than a terminal the agent calls nearby; T3 has
// an address, the others none.
std::string master_with_t3(const std::filesystem::path& parent) {
    auto master = write_master_fixture(parent);
    std::ofstream(master + "/terminals.csv", std::ios::binary)
        << "terminal_id,name,kind,territory,lat,lon,radius_m,grade,address\n"
        << "T1,老百姓大药房(世纪大道店),pharmacy,CN-SH-PD,31.2304,121.5060,100,A,\n"
        << "T2,一心堂(西湖店),pharmacy,CN-ZJ-HZ,30.2590,120.1300,150,B,\n"
        << "T3,益丰大药房(张杨路店),pharmacy,CN-SH-PD,31.2280,121.5150,100,B,"
           "上海市浦东新区张杨路500号\n"
        << "T4,华氏大药房(高桥店),pharmacy,CN-SH-PD,31.3300,121.5900,100,C,\n";
    return master;
}

// A gateway with R1's plan for today, T1 then T3 (unless `planned` is
// false), and dev-001 enrolled as R1 (retail; or `device` as `rep`) with
// nothing on it yet: serve's own sync brings the master data and the plan down.
struct RepApp {
    TempDir dir;
    std::string db = dir.store("gateway.db");
    GatewayProcess gateway{master_with_t3(dir.path()), db, "127.0.0.1:0", dir / "gateway.log"};
    Handheld h;
    std::string device;

    explicit RepApp(bool planned = true, std::string device_id = "dev-001",
                    const std::string& rep = "R1")
        : device(std::move(device_id)) {
        if (planned) {
            std::ofstream(dir / "plan.csv") << "rep_id,date,terminal_id,purpose,order\n"
                                            << "R1," << china_today() << ",T1,陈列检查,1\n"
                                            << "R1," << china_today() << ",T3,,2\n";
            auto plan = run({binary("fieldflow"), "plan", "import", dir / "plan.csv", "--db", db});
            INFO(plan.out);
            REQUIRE(plan.code == 0);
        }
        REQUIRE(h({"init", "--device", device, "--rep", rep}).code == 0);
    }

    RunResult browse(const std::string& script, const std::string& extra = "") const {
        return run({"/bin/sh", "-c",
                    "node " + std::string(FIELDFLOW_SOURCE_DIR) + "/tests/browser/" + script + " " +
                        binary("fieldflow-agent") + " " + h.state + " " + gateway.address() + " " +
                        dir.path().string() + extra + " 2>&1"},
                   std::chrono::seconds(300));
    }

    // Delivered: accepted or flagged in records, rejected in quarantine.
    long long delivered(const std::string& where) const {
        return store_scalar(db, "SELECT (SELECT count(*) FROM records WHERE device = '" + device +
                                    "'" + where +
                                    ") + (SELECT count(*) FROM quarantine WHERE device = '" +
                                    device + "'" + where + ")");
    }
};

}  // namespace

// The page reads what serve's API serves, which the agent's suites check.
TEST_CASE("browser: a rep's whole visit on the handheld's page reaches the gateway by itself" *
          doctest::test_suite("no gateway store")) {
    RepApp app;
    // FIELDFLOW_SCREENSHOTS=DIR keeps the main screens (docs/agent.md shows them).
    const char* shots = std::getenv("FIELDFLOW_SCREENSHOTS");
    auto browser = app.browse("handheld_visit.mjs", shots ? " '" + std::string(shots) + "'" : "");
    INFO(browser.out);
    INFO(read_file(app.dir / "serve.log"));
    CHECK(browser.code == 0);
    CHECK(browser.out.find("today's plan shown: T1,T3") != std::string::npos);
    CHECK(browser.out.find("3 codes from the scan engine shown as scans") != std::string::npos);
    CHECK(browser.out.find("a code with no visit open: 扫码未能保存") != std::string::npos);
    CHECK(browser.out.find("the outbox emptied with no sync pressed") != std::string::npos);
    CHECK(browser.out.find("a retail rep's tabs: 今日,拜访,结果\n") != std::string::npos);
    CHECK(browser.out.find("rejected count shown") != std::string::npos);
    CHECK(browser.out.find("rejected count's detail: 数量 -3 为负数") != std::string::npos);
    CHECK(browser.out.find("in English: qty -3 is negative") != std::string::npos);
    CHECK(browser.out.find("corrected from 结果 with no visit open") != std::string::npos);

    // Two check-ins, four scans, three counts (one the correction, made
    // with no visit open), a display, two check-outs.
    CHECK(app.delivered("") == 12);
    CHECK(app.delivered(" AND kind = 'check_in'") == 2);
    CHECK(app.delivered(" AND kind = 'scan'") == 4);
    CHECK(app.delivered(" AND kind = 'stock_count'") == 3);
    CHECK(app.delivered(" AND kind = 'display'") == 1);
    // The display's shelf position is one the gateway takes: it is not rejected.
    CHECK(store_scalar(app.db, "SELECT count(*) FROM records WHERE kind = 'display'") == 1);
    // The storefront and the shelf.
    CHECK(store_scalar(app.db, "SELECT count(*) FROM photos WHERE device = 'dev-001'") == 2);
    CHECK(store_scalar(app.db,
                       "SELECT count(*) FROM records r JOIN record_reasons w ON "
                       "w.record_id = r.id WHERE r.kind = 'check_in' AND w.code = "
                       "'outside_geofence'") == 1);
    // The correction names the rejected count, which the gateway kept, and
    // is taken as it is: judged by the rejected count's visit, not flagged
    // for having none of its own.
    CHECK(store_scalar(app.db,
                       "SELECT count(*) FROM records r WHERE r.kind = 'stock_count' AND "
                       "r.verdict = 'accepted' AND NOT EXISTS (SELECT 1 FROM record_reasons w "
                       "WHERE w.record_id = r.id)") == 2);
    auto status = app.h.status_json();
    INFO(status);
    CHECK(status.find("\"depth\":0") != std::string::npos);
    CHECK(status.find("\"photos_queued\":0") != std::string::npos);
}

TEST_CASE("browser: serve killed in the middle of a visit loses nothing the page showed saved" *
          doctest::test_suite("no gateway store")) {
    RepApp app;
    const char* shots = std::getenv("FIELDFLOW_SCREENSHOTS");
    auto browser = app.browse("handheld_restart.mjs", shots ? " '" + std::string(shots) + "'" : "");
    INFO(browser.out);
    INFO(read_file(app.dir / "serve.log"));
    REQUIRE(browser.code == 0);
    CHECK(browser.out.find("a count typed while serve was down stays in its form") !=
          std::string::npos);
    CHECK(browser.out.find("listed after the restart with the storage cleared: ") !=
          std::string::npos);
    auto line = browser.out.find("confirmed: ");
    REQUIRE(line != std::string::npos);
    auto end = browser.out.find('\n', line);
    std::string seqs = browser.out.substr(line + 11, end - line - 11);
    // The check-in, two scans, a count and a sale before the kill, and a count after.
    CHECK(std::count(seqs.begin(), seqs.end(), ',') == 5);
    CHECK(app.delivered(" AND seq IN (" + seqs + ")") == 6);
    CHECK(app.h.status_json().find("\"depth\":0") != std::string::npos);
}

// The agent's /api/today lists the terminals nearby with or without a plan;
// T4 is in the rep's master data but not near the rep.
TEST_CASE("browser: with no plan on the handheld, 今日 lists only the terminals nearby" *
          doctest::test_suite("no gateway store")) {
    RepApp app(false);
    const char* shots = std::getenv("FIELDFLOW_SCREENSHOTS");
    auto browser = app.browse("handheld_nearby.mjs", shots ? " '" + std::string(shots) + "'" : "");
    INFO(browser.out);
    INFO(read_file(app.dir / "serve.log"));
    CHECK(browser.code == 0);
    CHECK(browser.out.find("nearby without a plan: T1,T3\n") != std::string::npos);
    CHECK(browser.out.find("plan: 本机还没有拜访计划，同步后会显示") != std::string::npos);
    CHECK(browser.out.find("under T3's name: 上海市浦东新区张杨路500号\n") != std::string::npos);
    CHECK(browser.out.find("under T1's name: \n") != std::string::npos);
}

// A commercial rep's 上传: the page reads what /api/upload/check answers,
// which serve_test checks; here, what a rep sees, that the rows arrive, and
// that the tab bar's labels fit a phone's width in both languages.
TEST_CASE(
    "browser: a commercial rep's GBK flow file is checked by line on the handheld, then "
    "delivered" *
    doctest::test_suite("no gateway store")) {
    RepApp app(false, "dev-003", "R3");
    std::ofstream(app.dir / "flows-utf8.csv")
        << "flow_id,date,seller_id,buyer_id,product_id,lot,qty\n"
           "F1,2026-12-01,D1,T1,P1,批A1,12\n"
           "F2,2026-13-01,D1,T2,P1,L1,5\n"
           "F3,2026-12-02,D1,T2,P1,L1,-2\n";
    REQUIRE(run({"/bin/sh", "-c",
                 "iconv -f UTF-8 -t GBK " + (app.dir / "flows-utf8.csv") + " > " +
                     (app.dir / "flows.csv")})
                .code == 0);
    const char* shots = std::getenv("FIELDFLOW_SCREENSHOTS");
    auto browser = app.browse("handheld_upload.mjs", shots ? " '" + std::string(shots) + "'" : "");
    INFO(browser.out);
    INFO(read_file(app.dir / "serve.log"));
    CHECK(browser.code == 0);
    CHECK(browser.out.find("checked: flows.csv（GBK）：2 行可以上传，1 行有误") !=
          std::string::npos);
    CHECK(browser.out.find("done: 已排队 2 行") != std::string::npos);
    CHECK(browser.out.find("tabs at 360 px in English: Today,Visit,Results,Upload, each whole") !=
          std::string::npos);
    CHECK(browser.out.find("tabs at 480 px in English: Today,Visit,Results,Upload, each whole") !=
          std::string::npos);
    CHECK(app.delivered(" AND kind = 'flow'") == 2);
}
