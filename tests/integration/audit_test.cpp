// The audit log catches a stored row changed, deleted, added or reordered
// behind the gateway's back, and says where.

#include <doctest/doctest.h>

#include <fstream>

#include "support/gateway_process.h"
#include "support/handheld.h"
#include "support/master_fixture.h"
#include "support/process.h"

using namespace fieldflow::test;

namespace {

RunResult verify(const std::string& db) {
    return run({binary("fieldflow"), "audit", "verify", "--db", db});
}

// A copy of `db` with `sql` run on it behind everyone's back.
std::string tampered(TempDir& dir, const std::string& db, const std::string& name,
                     const std::string& sql) {
    std::string copy = dir.store_copy(name, db);
    store_exec(copy, sql);
    return copy;
}

}  // namespace

TEST_CASE("audit: every record and operator action is chained, and tampering is named") {
    TempDir dir;
    std::string master = write_master_fixture(dir.path()), db = dir.store("gateway.db");
    {
        GatewayProcess gateway(master, db, "127.0.0.1:0", dir / "gateway.log");
        Handheld h;
        h({"init", "--device", "dev-001", "--rep", "R1"});
        h({"checkin", "--terminal", "T1", "--lat", "31.2304", "--lon", "121.5060", "--accuracy",
           "5"});
        h({"count", "--product", "P1", "--qty", "4"});
        h({"count", "--product", "P9", "--qty", "4"});  // rejected: quarantined
        h({"checkout"});
        REQUIRE(h({"sync", "--gateway", gateway.address()}).code == 0);
    }
    std::ofstream(dir / "flows.csv") << "flow_id,date,seller_id,buyer_id,product_id,lot,qty\n"
                                        "F1,2026-03-02,D1,T1,P1,L1,5\n";
    REQUIRE(run({binary("fieldflow"), "import", "flows", dir / "flows.csv", "--db", db}).code == 0);
    REQUIRE(run({binary("fieldflow"), "period", "close", "2026-03", "--db", db}).code == 0);
    REQUIRE(run({binary("fieldflow"), "flows", "adjust", "F1", "--qty", "4", "--reason", "typo",
                 "--db", db})
                .code == 0);
    REQUIRE(run({binary("fieldflow"), "device", "enroll", "--device", "dev-002", "--rep", "R2",
                 "--db", db})
                .code == 0);

    // One batch: the check-in and the first count are records 1 and 2, one
    // entry; the quarantined count ends that run, so the checkout is another.
    auto intact = verify(db);
    CHECK(intact.code == 0);
    CHECK(intact.out.find("intact: 7 entries") != std::string::npos);
    auto listed = run({binary("fieldflow"), "audit", "list", "--db", db}).out;
    CHECK(listed.find("dev-001,record booked,records,1,2,") != std::string::npos);
    CHECK(listed.find("record quarantined,quarantine,1,1,") != std::string::npos);
    CHECK(listed.find("dev-001,record booked,records,3,1,") != std::string::npos);
    CHECK(listed.find("period closed,period_log") != std::string::npos);
    CHECK(listed.find("device enrolled,device_credentials,0,1,dev-002 for rep R2") !=
          std::string::npos);
    // The last entry's hash, to keep elsewhere: 64 hex digits ending its line.
    std::string last = listed.substr(listed.rfind('\n', listed.size() - 2) + 1);
    std::string hash = last.substr(last.rfind(',') + 1);
    CHECK(hash.size() == 65);
    CHECK(hash.find_first_not_of("0123456789abcdef") == 64);

    auto changed = verify(
        tampered(dir, db, "changed.db", "UPDATE records SET verdict = 'flagged' WHERE seq = 2"));
    CHECK(changed.code == 1);
    CHECK(changed.out.find("records row 2 was changed") != std::string::npos);

    auto gone = verify(tampered(dir, db, "gone.db",
                                "DELETE FROM record_reasons WHERE record_id = 2;"
                                "DELETE FROM records WHERE id = 2"));
    CHECK(gone.code == 1);
    CHECK(gone.out.find("broken at entry 1: records row 2 was deleted") != std::string::npos);

    auto reason = verify(tampered(dir, db, "reason.db", "DELETE FROM quarantine_reasons"));
    CHECK(reason.code == 1);
    CHECK(reason.out.find("quarantine row 1 was changed") != std::string::npos);

    auto deleted = verify(
        tampered(dir, db, "deleted.db", "DELETE FROM quarantine_reasons; DELETE FROM quarantine"));
    CHECK(deleted.code == 1);
    CHECK(deleted.out.find("quarantine row 1 was deleted") != std::string::npos);

    auto added = verify(tampered(dir, db, "added.db",
                                 "INSERT INTO records (id, device, seq, rep, kind, "
                                 "captured_at_ms, received_at_ms, verdict, raw) SELECT "
                                 "(SELECT max(id) + 1 FROM records), device, 99, rep, kind, "
                                 "captured_at_ms, received_at_ms, verdict, raw FROM records "
                                 "WHERE seq = 1"));
    CHECK(added.code == 1);
    CHECK(added.out.find("is not in the log") != std::string::npos);

    auto period = verify(tampered(dir, db, "period.db", "UPDATE period_log SET by = 'someone'"));
    CHECK(period.code == 1);
    CHECK(period.out.find("period_log row 1 was changed") != std::string::npos);

    auto entry = verify(
        tampered(dir, db, "entry.db", "UPDATE audit_log SET actor = 'dev-002' WHERE id = 2"));
    CHECK(entry.code == 1);
    CHECK(entry.out.find("broken at entry 2: the entry itself was changed") != std::string::npos);

    auto reordered = verify(tampered(dir, db, "reordered.db",
                                     "UPDATE audit_log SET id = -id WHERE id IN (2, 3);"
                                     "UPDATE audit_log SET id = 3 WHERE id = -2;"
                                     "UPDATE audit_log SET id = 2 WHERE id = -3;"));
    CHECK(reordered.code == 1);
    CHECK(reordered.out.find("broken at entry 2") != std::string::npos);
}
