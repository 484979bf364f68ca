// The dashboard in a real browser (Debian's Chromium, driven by
// playwright-core from tests/browser): a reviewer logs in, sees the ingest
// count rise while simulated handhelds upload, and approves a flagged
// record, which the store and the audit log then hold.

#include <doctest/doctest.h>

#include <string>

#include "support/gateway_process.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/wire_client.h"

using namespace fieldflow::test;

// The pages call the API that the dashboard suite checks on both stores.
TEST_CASE("browser: a reviewer watches ingest rise and approves a flagged record" *
          doctest::test_suite("no gateway store")) {
    TempDir dir;
    std::string db = dir.store("gateway.db"), master = write_master_fixture(dir.path());
    // Each device at 40 records a second: the upload lasts long enough to watch.
    GatewayProcess gateway(master, db, "127.0.0.1:0", dir / "gateway.log",
                           {"--http", "127.0.0.1:0", "--max-device-rate", "40"});
    REQUIRE(run({"/bin/sh", "-c",
                 "echo 'night shift 42' | " + binary("fieldflow") +
                     " operator add chen --role reviewer --db " + db + " >/dev/null"})
                .code == 0);
    {
        WireClient device(gateway.address());
        REQUIRE(device.handshake("dev-001"));
        device.batch({check_in_record("dev-001", 1, "T1", 31.3000, 121.6000)});  // far away
        REQUIRE(device.receive()->isAck());
    }

    Process fleet({binary("fieldflow"), "loadgen", "--gateway", gateway.address(), "--master",
                   master, "--agents", "3", "--records", "900", "--batch", "10"},
                  dir / "loadgen.log");
    auto browser =
        run({"/bin/sh", "-c",
             "node " + std::string(FIELDFLOW_SOURCE_DIR) + "/tests/browser/dashboard.mjs http://" +
                 gateway.http_address() + "/ chen 'night shift 42' 2>&1"},
            std::chrono::seconds(120));
    INFO(browser.out);
    CHECK(browser.code == 0);
    CHECK(browser.out.find("ingest count seen rising") != std::string::npos);

    CHECK(store_scalar(db,
                       "SELECT count(*) FROM reviews WHERE decision = 'approve' AND by = "
                       "'chen'") == 1);
    CHECK(store_scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'flag approved'") == 1);
    CHECK(fleet.wait(std::chrono::seconds(60)) == 0);
}
