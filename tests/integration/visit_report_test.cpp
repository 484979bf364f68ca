// A whole visit of every report kind, captured offline on the handheld and
// delivered on the next sync.

#include <doctest/doctest.h>

#include <fstream>

#include "support/gateway_process.h"
#include "support/handheld.h"
#include "support/master_fixture.h"
#include "support/process.h"

using namespace fieldflow::test;

TEST_CASE("visit report: every kind is captured offline and delivered with its fields") {
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    std::ofstream(h.dir / "shelf.jpg", std::ios::binary) << "not really a jpeg";
    CHECK(h({"sales", "--product", "P1", "--qty", "3"}).code == 1);  // no visit yet
    REQUIRE(h({"checkin", "--terminal", "T1", "--lat", "31.2304", "--lon", "121.5060", "--accuracy",
               "5"})
                .code == 0);
    CHECK(h({"sales", "--product", "P1", "--qty", "14", "--since", "2026-11-01"}).code == 0);
    CHECK(
        h({"purchase", "--product", "P1", "--qty", "40", "--lot", "L7", "--supplier", "D1"}).code ==
        0);
    CHECK(h({"promotion", "--product", "P2", "--kind", "discount", "--price", "29.90", "--from",
             "2026-11-01", "--to", "2026-11-30"})
              .code == 0);
    CHECK(h({"display", "--product", "P1", "--facings", "6", "--position", "end_cap", "--special",
             "--photo", h.dir / "shelf.jpg"})
              .code == 0);
    CHECK(
        h({"competitor", "--brand", "葵花药业", "--product", "小儿肺热咳喘口服液", "--price", "36"})
            .code == 0);
    CHECK(h({"promotion", "--product", "P1", "--kind", "discount", "--price", "cheap", "--from",
             "2026-11-01", "--to", "2026-11-30"})
              .code == 2);
    REQUIRE(h({"checkout"}).code == 0);
    CHECK(h({"distributor-stock", "--distributor", "D1", "--product", "P1", "--qty", "120",
             "--date", "2026-11-20"})
              .code == 0);
    CHECK(h.status_has("\"depth\":8"));

    TempDir dir;
    GatewayProcess gateway(write_master_fixture(dir.path()), dir.store("gateway.db"), "127.0.0.1:0",
                           dir / "gateway.log");
    REQUIRE(h({"sync", "--gateway", gateway.address()}).code == 0);
    auto listed = run({binary("fieldflow"), "records", "--db", dir.store("gateway.db")}).out;
    INFO(listed);
    for (std::string kind :
         {"terminal_sales", "purchase", "promotion", "display", "competitor", "distributor_stock"})
        CHECK(listed.find("\"kind\":\"" + kind + "\"") != std::string::npos);
    CHECK(listed.find("\"priceFen\":\"2990\"") != std::string::npos);
    CHECK(listed.find("\"photoSha256\":\"") != std::string::npos);
    CHECK(listed.find("\"supplier\":\"D1\"") != std::string::npos);
    // R1 is a retail rep: a distributor stock report from them is kept, flagged.
    CHECK(store_scalar(dir.store("gateway.db"),
                       "SELECT count(*) FROM records WHERE kind = 'distributor_stock' AND verdict "
                       "= 'flagged'") == 1);
    CHECK(store_scalar(dir.store("gateway.db"),
                       "SELECT count(*) FROM records WHERE verdict = 'accepted'") == 7);
}

TEST_CASE("visit report: a correction is a new record that names the one it corrects") {
    TempDir dir;
    GatewayProcess gateway(write_master_fixture(dir.path()), dir.store("gateway.db"), "127.0.0.1:0",
                           dir / "gateway.log");
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    h({"checkin", "--terminal", "T1", "--lat", "31.2304", "--lon", "121.5060", "--accuracy", "5"});
    h({"count", "--product", "P9", "--qty", "3"});  // record 2: a product the gateway does not know
    REQUIRE(h({"sync", "--gateway", gateway.address()}).code == 0);
    CHECK(h({"verdicts"}).out.find("record 2, stock count, rejected") != std::string::npos);

    CHECK(h({"count", "--product", "P1", "--qty", "3", "--corrects", "2"}).code == 0);  // record 3
    CHECK(h({"count", "--product", "P1", "--qty", "4", "--corrects", "77"}).code ==
          0);  // record 4: no such record
    CHECK(h({"count", "--product", "P1", "--qty", "4", "--corrects", "x"}).code == 2);
    REQUIRE(h({"sync", "--gateway", gateway.address()}).code == 0);

    CHECK(store_scalar(dir.store("gateway.db"), "SELECT count(*) FROM quarantine WHERE seq = 2") ==
          1);  // kept
    CHECK(store_scalar(dir.store("gateway.db"),
                       "SELECT count(*) FROM records WHERE seq = 3 AND verdict = 'accepted'") == 1);
    CHECK(store_scalar(dir.store("gateway.db"),
                       "SELECT count(*) FROM records WHERE seq = 4 AND verdict = 'flagged'") == 1);
    auto listed = run({binary("fieldflow"), "records", "--db", dir.store("gateway.db"), "--kind",
                       "stock_count"})
                      .out;
    CHECK(listed.find("\"corrects\":2") != std::string::npos);
    CHECK(listed.find("\"code\":\"unknown_correction\"") != std::string::npos);
}
