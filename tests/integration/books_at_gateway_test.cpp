// The gateway judges field records against the distribution books, and
// books the flows and stock lines commercial reps upload.

#include <doctest/doctest.h>

#include "support/gateway_process.h"
#include "support/handheld.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/write_file.h"

using namespace fieldflow::test;

namespace {

long long reasons(const std::string& db, const std::string& device, const std::string& code) {
    return store_scalar(db,
                        "SELECT count(*) FROM record_reasons r JOIN records c ON c.id = "
                        "r.record_id WHERE c.device = '" +
                            device + "' AND r.code = '" + code + "'");
}

}  // namespace

TEST_CASE("books at the gateway: uploads are judged and booked, counts and scans checked") {
    TempDir dir;
    std::string master = write_master_fixture(dir.path()), db = dir.store("gateway.db");
    write_file(dir / "shipments.csv",
               "shipment_id,date,distributor_id,product_id,lot,expiry,qty\n"
               "S1,2026-11-02,D1,P1,L1,2028-11-01,100\n");
    write_file(dir / "flows.csv",
               "flow_id,date,seller_id,buyer_id,product_id,lot,qty\n"
               "F1,2026-11-05,D1,T1,P1,L1,20\n");
    for (const char* kind : {"shipments", "flows"})
        REQUIRE(run({binary("fieldflow"), "import", kind, dir / (std::string(kind) + ".csv"),
                     "--db", db})
                    .code == 0);
    GatewayProcess gateway(master, db, "127.0.0.1:0", dir / "gateway.log");

    // A commercial rep uploads the distributor's flow data and stock report.
    Handheld commercial;
    commercial({"init", "--device", "dev-003", "--rep", "R3"});
    write_file(dir / "up-flows.csv",
               "flow_id,date,seller_id,buyer_id,product_id,lot,qty\n"
               "F2,2026-11-10,D1,T1,P1,L1,5\n"
               "F3,2026-11-11,D2,T2,P1,L1,3\n"
               "F4,2026-11-31,D1,T1,P1,L1,1\n");
    auto queued = commercial({"upload", "flows", dir / "up-flows.csv"});
    CHECK(queued.code == 1);  // F4's date does not exist: not queued
    CHECK(queued.out.find("queued 2 flow rows") != std::string::npos);
    write_file(dir / "up-stock.csv",
               "report_id,date,holder_id,product_id,lot,qty\n"
               "R9,2026-11-20,D1,P1,L1,999\n");
    CHECK(commercial({"upload", "stock", dir / "up-stock.csv"}).code == 0);
    REQUIRE(commercial({"sync", "--gateway", gateway.address()}).code == 0);

    // D2 (Pudong) selling to T2 (Hangzhou) is diversion, and D2 never had lot L1.
    CHECK(reasons(db, "dev-003", "diversion") == 1);
    CHECK(reasons(db, "dev-003", "lot_not_received") == 1);
    // D1's ledger on the 20th: 100 − 20 − 5 = 75, not 999.
    CHECK(reasons(db, "dev-003", "stock_variance") == 1);
    CHECK(store_scalar(db,
                       "SELECT count(*) FROM records WHERE device = 'dev-003' AND verdict = "
                       "'accepted'") == 1);

    // The uploaded rows are in the books: the ledger counts them.
    auto ledger =
        run({binary("fieldflow"), "ledger", "--period", "2026-11", "--db", db, "--master", master})
            .out;
    CHECK(ledger.find("D1,P1,0,100,25,75,999,2026-11-20,924") != std::string::npos);

    // A retail rep at T1: 40 counted where 25 were ever delivered; a lot
    // that never reached T1's distributors; and a lot that did.
    Handheld retail;
    retail({"init", "--device", "dev-001", "--rep", "R1"});
    retail({"checkin", "--terminal", "T1", "--lat", "31.2304", "--lon", "121.5060", "--accuracy",
            "5"});
    retail({"count", "--product", "P1", "--qty", "40"});
    // GS1 DataMatrix as a scan engine types it: AIM prefix, GTIN, GS, lot.
    write_file(dir / "codes.txt",
               "]d20106901234567892"
               "\x1d"
               "10LX\n"
               "]d20106901234567892"
               "\x1d"
               "10L1\n");
    CHECK(retail({"scan", "--line", "--from", dir / "codes.txt"}).code == 0);
    REQUIRE(retail({"sync", "--gateway", gateway.address()}).code == 0);
    CHECK(reasons(db, "dev-001", "stock_variance") == 1);
    CHECK(reasons(db, "dev-001", "diversion") == 1);
    auto verdicts = retail({"verdicts"}).out;
    CHECK(verdicts.find("lot LX of P1 never reached a distributor serving T1") !=
          std::string::npos);
}
