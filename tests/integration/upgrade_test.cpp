// A store written by an older gateway opens with today's: it is brought to
// today's schema version, keeps every row byte for byte, and its audit
// chain, which the upgrade begins for rows from before the audit log,
// verifies. The old stores are SQL text made from the older release's own
// schema (tests/fixtures), never binaries.

#include <doctest/doctest.h>

#include <fstream>
#include <iomanip>
#include <sstream>

#include "support/gateway_process.h"
#include "support/has.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/scratch_store.h"
#include "support/wire_client.h"

using namespace fieldflow::test;

namespace {

std::string fixture(const std::string& name) {
    return read_file(std::string(FIELDFLOW_SOURCE_DIR) + "/tests/fixtures/" + name);
}

// A golden envelope of tests/golden/v1 as an SQL blob literal.
std::string golden_blob(const std::string& name) {
    auto bytes = read_file(std::string(FIELDFLOW_SOURCE_DIR) + "/tests/golden/v1/" + name);
    std::ostringstream hex;
    hex << "X'" << std::hex << std::uppercase << std::setfill('0');
    for (unsigned char c : bytes) hex << std::setw(2) << static_cast<int>(c);
    hex << "'";
    return hex.str();
}

}  // namespace

TEST_CASE("upgrade: a store of schema version 3 opens with today's gateway, rows and audit intact" *
          doctest::test_suite("sqlite only")) {
    TempDir dir;
    std::string db = dir / "gateway.db";
    store_exec(db, fixture("store-v3.sqlite.sql"));
    REQUIRE(store_scalar(db, "PRAGMA user_version") == 3);
    {
        GatewayProcess gateway(write_master_fixture(dir.path()), db, "127.0.0.1:0",
                               dir / "gateway.log");
        // Today's gateway takes the next record of the same device.
        WireClient agent(gateway.address());
        REQUIRE(agent.handshake("dev-001"));
        agent.batch({check_in_record("dev-001", 5, "T1", 31.2304, 121.5060)});
        auto ack = agent.receive();
        REQUIRE(ack.has_value());
        REQUIRE(ack->isAck());
        CHECK(ack->getAck().getResults()[0].getVerdict() == fieldflow::wire::Verdict::ACCEPTED);
    }
    CHECK(store_scalar(db, "PRAGMA user_version") == 7);

    // Every row as the old gateway stored it.
    const char* golden[] = {"1-check_in.bin", "2-stock_count.bin", "3-scan.bin", "4-check_out.bin"};
    for (int id = 1; id <= 4; ++id) {
        CAPTURE(id);
        CHECK(store_scalar(db, "SELECT count(*) FROM records WHERE id = " + std::to_string(id) +
                                   " AND device = 'dev-001' AND seq = " + std::to_string(id) +
                                   " AND raw = " + golden_blob(golden[id - 1])) == 1);
    }
    CHECK(store_scalar(db, "SELECT count(*) FROM records") == 5);
    CHECK(store_scalar(db, "SELECT count(*) FROM records WHERE id = 3 AND verdict = 'flagged'") ==
          1);
    CHECK(store_scalar(db,
                       "SELECT count(*) FROM record_reasons WHERE record_id = 3 AND "
                       "code = 'unparsed_code'") == 1);
    CHECK(store_scalar(db, "SELECT count(*) FROM quarantine WHERE sender = 'dev-002' AND raw = " +
                               golden_blob("1-check_in.bin")) == 1);
    CHECK(store_scalar(db, "SELECT count(*) FROM quarantine_reasons") == 1);
    CHECK(store_scalar(db,
                       "SELECT count(*) FROM device_credentials WHERE device = 'dev-001' "
                       "AND revoked_at_ms IS NULL") == 1);
    CHECK(store_scalar(db, "SELECT count(*) FROM auth_log") == 1);

    // The rows from before the audit log entered it at the upgrade, and the
    // chain, with today's record after them, verifies.
    auto verify = run({binary("fieldflow"), "audit", "verify", "--db", db});
    INFO(verify.out);
    CHECK(verify.code == 0);
    CHECK(has(verify.out, "intact"));
    auto listed = run({binary("fieldflow"), "audit", "list", "--db", db}).out;
    CHECK(has(listed, "gateway,adopted at upgrade,records,1"));
    CHECK(has(listed, "gateway,adopted at upgrade,quarantine,1"));
    CHECK(has(listed, "gateway,adopted at upgrade,device_credentials,0,1,dev-001"));

    // A changed row from before the upgrade is caught like any other.
    store_exec(db, "UPDATE records SET verdict = 'accepted' WHERE id = 3");
    CHECK(run({binary("fieldflow"), "audit", "verify", "--db", db}).code == 1);
}

namespace {

long long schema_version(const std::string& db) {
    return store_scalar(db, testing_postgresql()
                                ? "SELECT coalesce(max(version), 0) FROM store_schema"
                                : "PRAGMA user_version");
}

// A store of `version` as that release's gateway and tools wrote it, on
// the backend this run tests (tests/fixtures/store-vN.BACKEND.sql: a few
// imported book rows, a closed month, an operator, an enrolled device and a
// small fleet's records), brought up by today's gateway.
void check_upgrade_from(int version) {
    TempDir dir;
    auto db = dir.store("gateway.db");
    // The connection that loads a PostgreSQL dump has already made the two
    // tables every connection keeps; the dump makes them as they were.
    store_exec(db, testing_postgresql()
                       ? "DROP TABLE store_commits, store_schema;" +
                             fixture("store-v" + std::to_string(version) + ".postgresql.sql")
                       : fixture("store-v" + std::to_string(version) + ".sqlite.sql"));
    REQUIRE(schema_version(db) == version);
    auto records = store_scalar(db, "SELECT count(*) FROM records");
    REQUIRE(records == 12);
    auto flows = store_scalar(db, "SELECT count(*) FROM flows");
    REQUIRE(flows == 3);
    {
        GatewayProcess gateway(write_master_fixture(dir.path()), db, "127.0.0.1:0",
                               dir / "gateway.log");
        WireClient agent(gateway.address());
        REQUIRE(agent.handshake("dev-upgraded"));
        agent.batch({check_in_record("dev-upgraded", 1, "T1", 31.2304, 121.5060)});
        auto ack = agent.receive();
        REQUIRE(ack.has_value());
        REQUIRE(ack->isAck());
        CHECK(ack->getAck().getResults()[0].getVerdict() == fieldflow::wire::Verdict::ACCEPTED);
    }
    CHECK(schema_version(db) == 7);
    CHECK(store_scalar(db, "SELECT count(*) FROM records") == records + 1);
    // Only the new check-in's fix is sealed apart: the older ones hash as
    // they always did, beside it in one chain (verified below).
    CHECK(store_scalar(db, "SELECT count(*) FROM records WHERE fix_at IS NOT NULL") == 1);
    CHECK(store_scalar(db, "SELECT count(*) FROM flows") == flows);
    CHECK(store_scalar(db, "SELECT count(*) FROM closed_periods WHERE period = '2026-10'") == 1);

    // The operator, the device's credential and the closed month, kept
    // before they had entries of their own, entered the log as they were.
    auto verify = run({binary("fieldflow"), "audit", "verify", "--db", db});
    INFO(verify.out);
    CHECK(verify.code == 0);
    CHECK(has(verify.out, "intact"));
    auto listed = run({binary("fieldflow"), "audit", "list", "--db", db}).out;
    INFO(listed);
    CHECK(has(listed, "gateway,adopted at upgrade,operators,0,1,alice"));
    CHECK(has(listed, "gateway,adopted at upgrade,device_credentials,0,1,dev-001"));
    CHECK(has(listed, "gateway,adopted at upgrade,closed_periods,0,1,2026-10"));

    // An operator changed behind the log's back after the upgrade is caught.
    store_exec(db, "UPDATE operators SET role = 'admin' WHERE name = 'alice'");
    CHECK(run({binary("fieldflow"), "audit", "verify", "--db", db}).code == 1);
}

}  // namespace

TEST_CASE("upgrade: a store of schema version 4 opens with today's gateway, rows and log intact") {
    check_upgrade_from(4);
}

TEST_CASE("upgrade: a store of schema version 5 opens with today's gateway, rows and log intact") {
    check_upgrade_from(5);
}
