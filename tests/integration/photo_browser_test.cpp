// A reviewer sees the storefront photo of a flagged check-in on its review
// card, in a real browser (tests/browser/photo.mjs): the handheld took it
// offline and synced it after the records.

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "support/gateway_process.h"
#include "support/handheld.h"
#include "support/master_fixture.h"
#include "support/process.h"

using namespace fieldflow::test;

// The page reads what the review API serves, which the store suites check on both stores.
TEST_CASE("browser: a flagged check-in's storefront photo shows on its review card" *
          doctest::test_suite("no gateway store")) {
    TempDir dir;
    std::string db = dir.store("gateway.db");
    GatewayProcess gateway(write_master_fixture(dir.path()), db, "127.0.0.1:0", dir / "gateway.log",
                           {"--http", "127.0.0.1:0"});
    REQUIRE(run({"/bin/sh", "-c",
                 "echo 'night shift 42' | " + binary("fieldflow") +
                     " operator add chen --role reviewer --db " + db + " >/dev/null"})
                .code == 0);

    // Two check-ins far from T1, so both are flagged: one with a real
    // photo, one with a file the gateway refuses, whose photo never arrives.
    Handheld h;
    REQUIRE(h({"init", "--device", "dev-001", "--rep", "R1"}).code == 0);
    std::ofstream(h.dir / "notes.txt") << "not a photo\n";
    REQUIRE(h({"checkin", "--terminal", "T1", "--lat", "31.3000", "--lon", "121.6000", "--accuracy",
               "5", "--photo", std::string(FIELDFLOW_SOURCE_DIR) + "/tests/browser/storefront.png"})
                .code == 0);
    REQUIRE(h({"checkin", "--terminal", "T1", "--lat", "31.3000", "--lon", "121.6000", "--accuracy",
               "5", "--photo", h.dir / "notes.txt"})
                .code == 0);
    auto sync = h({"sync", "--gateway", gateway.address()});
    INFO(sync.out);
    REQUIRE(sync.code == 0);
    REQUIRE(sync.out.find("photos: 1 delivered, 1 refused") != std::string::npos);

    const char* shots = std::getenv("FIELDFLOW_SCREENSHOTS");
    std::string screenshot = shots ? " '" + std::string(shots) + "/photo.png'" : "";
    auto browser =
        run({"/bin/sh", "-c",
             "node " + std::string(FIELDFLOW_SOURCE_DIR) + "/tests/browser/photo.mjs" + " http://" +
                 gateway.http_address() + "/ chen 'night shift 42'" + screenshot + " 2>&1"},
            std::chrono::seconds(120));
    INFO(browser.out);
    CHECK(browser.code == 0);
    CHECK(browser.out.find("photo seen on the review card (320x220)") != std::string::npos);
    CHECK(browser.out.find("photo enlarged on click") != std::string::npos);

    // One opening, thumbnail and enlarged view together, is one audit entry.
    auto audit = run({binary("fieldflow"), "audit", "list", "--db", db});
    REQUIRE(audit.code == 0);
    std::size_t opened = 0;
    for (auto at = audit.out.find(",chen,photo opened,personal_data,"); at != std::string::npos;
         at = audit.out.find(",chen,photo opened,personal_data,", at + 1))
        ++opened;
    INFO(audit.out);
    CHECK(opened == 1);
    CHECK(run({binary("fieldflow"), "audit", "verify", "--db", db}).code == 0);
}
