// The rep's PIN in a real browser (tests/browser/handheld_pin.mjs): set on
// the page, the handheld locked and unlocked there, a check-in and a count
// after, delivered by the background sync; and the state folder holds the
// check-in's position only sealed.

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "support/float64_bytes.h"
#include "support/gateway_process.h"
#include "support/handheld.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/scratch_store.h"

using namespace fieldflow::test;

namespace {

// Where handheld_pin.mjs stands the rep: 2 m from T1's centre, a latitude
// no master data holds.
constexpr double pin_test_fix_lat = 31.230417;

// A gateway with the master fixture and dev-001 enrolled as R1: serve's own
// sync brings the master data down; no plan.
struct PinRepApp {
    TempDir dir;
    std::string db = dir.store("gateway.db");
    GatewayProcess gateway{write_master_fixture(dir.path()), db, "127.0.0.1:0",
                           dir / "gateway.log"};
    Handheld h;

    PinRepApp() { REQUIRE(h({"init", "--device", "dev-001", "--rep", "R1"}).code == 0); }

    RunResult browse(const std::string& script, const std::string& extra) const {
        return run({"/bin/sh", "-c",
                    "node " + std::string(FIELDFLOW_SOURCE_DIR) + "/tests/browser/" + script + " " +
                        binary("fieldflow-agent") + " " + h.state + " " + gateway.address() + " " +
                        dir.path().string() + extra + " 2>&1"},
                   std::chrono::seconds(300));
    }

    long long delivered(const std::string& kind) const {
        return store_scalar(
            db, "SELECT count(*) FROM records WHERE device = 'dev-001' AND kind = '" + kind + "'");
    }
};

// Every file of the state folder (agent.db, its -wal, photos/), each with
// what of `needle` it holds.
std::string state_files_holding(const std::string& state, const std::string& needle) {
    std::string found;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(state))
        if (entry.is_regular_file() &&
            read_file(entry.path().string()).find(needle) != std::string::npos)
            found += entry.path().string() + "\n";
    return found;
}

}  // namespace

TEST_CASE(
    "browser: the rep sets a PIN, locks and unlocks the handheld on its page, and the "
    "check-in's position is on the flash only sealed" *
    doctest::test_suite("no gateway store")) {
    PinRepApp app;
    const char* shots = std::getenv("FIELDFLOW_SCREENSHOTS");
    auto browser = app.browse("handheld_pin.mjs", shots ? " '" + std::string(shots) + "'" : "");
    INFO(browser.out);
    INFO(read_file(app.dir / "serve.log"));
    CHECK(browser.code == 0);
    CHECK(browser.out.find("fix at 31.230417\n") != std::string::npos);
    CHECK(browser.out.find("no PIN: 数据未设 PIN 保护") != std::string::npos);
    CHECK(browser.out.find("a mismatch: 两次输入的 PIN 不一致") != std::string::npos);
    CHECK(browser.out.find("set: PIN 已设置") != std::string::npos);
    CHECK(browser.out.find("wrong PIN: PIN 错误，还可尝试 4 次") != std::string::npos);
    CHECK(browser.out.find("the check-in sent while locked went through once unlocked") !=
          std::string::npos);
    CHECK(browser.out.find("the outbox emptied with no sync pressed") != std::string::npos);
    CHECK(browser.out.find("locked out: 输错次数过多，请于 ") != std::string::npos);

    CHECK(app.delivered("check_in") == 1);
    CHECK(app.delivered("stock_count") == 1);
    CHECK(app.delivered("check_out") == 1);
    CHECK(store_scalar(app.db, "SELECT count(*) FROM photos WHERE device = 'dev-001'") == 1);
    auto status = app.h.status_json();
    INFO(status);
    CHECK(status.find("\"lock\":\"locked\",\"pin_failures\":5") != std::string::npos);
    CHECK(status.find("\"depth\":0") != std::string::npos);

    // Neither as the record's Float64, nor as SQLite keeps a REAL
    // (big-endian), nor as text: in the folder as serve left it, and as it
    // stood in the middle of the visit, its WAL and kept photo with it.
    auto little = float64_bytes(pin_test_fix_lat);
    std::string big(little.rbegin(), little.rend());
    for (const auto& state : {app.h.state, app.dir / "state-while-serving"}) {
        INFO(state);
        REQUIRE(std::filesystem::is_regular_file(state + "/agent.db"));
        CHECK(state_files_holding(state, little) == "");
        CHECK(state_files_holding(state, big) == "");
        CHECK(state_files_holding(state, "31.23041") == "");
    }
}
