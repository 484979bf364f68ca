// The handhelds tab and the review card in a real browser (Debian's
// Chromium through tests/browser/devices.mjs): an admin enrols a device
// from the page, and the store keeps only its credential's hash; then
// revokes it with a reason, which the audit log keeps.

#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "support/gateway_process.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/scratch_store.h"
#include "support/wire_client.h"

using namespace fieldflow::test;

// The pages call the API that the device console suite checks on both stores.
TEST_CASE("browser: an admin enrols a handheld, sees its QR code and its page, in Chinese" *
          doctest::test_suite("no gateway store")) {
    TempDir dir;
    std::string db = dir.store("gateway.db"), master = write_master_fixture(dir.path());
    GatewayProcess gateway{master, db, "127.0.0.1:0", dir / "gateway.log",
                           std::vector<std::string>{"--http", "127.0.0.1:0"}};
    REQUIRE(add_operator(db, "chen", "admin", "night shift 42") == 0);
    {
        WireClient device(gateway.address());
        REQUIRE(device.handshake("dev-001"));
        device.batch({check_in_record("dev-001", 1, "T1", 31.3000, 121.6000)});  // far away
        REQUIRE(device.receive()->isAck());
    }
    // FIELDFLOW_SCREENSHOTS=DIR keeps what the browser saw, to look at.
    const char* shots = std::getenv("FIELDFLOW_SCREENSHOTS");
    auto browser =
        run({"/bin/sh", "-c",
             "node " + std::string(FIELDFLOW_SOURCE_DIR) + "/tests/browser/devices.mjs http://" +
                 gateway.http_address() + "/ chen 'night shift 42' dev-001" +
                 (shots ? " '" + std::string(shots) + "/devices.png'" : "") + " 2>&1"},
            std::chrono::seconds(120));
    INFO(browser.out);
    CHECK(browser.code == 0);
    CHECK(browser.out.find("listed: dev-001 空闲") != std::string::npos);
    auto at = browser.out.find("enrolled: credential ");
    REQUIRE(at != std::string::npos);
    std::string credential = browser.out.substr(at + 21, 69);
    CHECK(browser.out.find("revoked: dev-new") != std::string::npos);
    CHECK(browser.out.find("backlog: 1 samples") != std::string::npos);
    CHECK(store_scalar(db,
                       "SELECT count(*) FROM device_credentials WHERE device = 'dev-new' AND "
                       "revoked_at_ms IS NOT NULL") == 1);
    CHECK(read_file(db).find(credential) == std::string::npos);
    CHECK(store_scalar(db,
                       "SELECT count(*) FROM audit_log WHERE action = 'device enrolled' AND "
                       "actor = 'chen'") == 1);
    CHECK(store_scalar(db,
                       "SELECT count(*) FROM audit_log WHERE action = 'device revoked' AND "
                       "actor = 'chen' AND detail = 'dev-new: 设备遗失'") == 1);
}
