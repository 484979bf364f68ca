// `fieldflow records` names the connection that sent a quarantined record,
// which for wrong_device is not the device the record claims.

#include <doctest/doctest.h>

#include "support/gateway_process.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/wire_client.h"

using namespace fieldflow::test;

TEST_CASE("records: a record sent under another device's id lists its sender") {
    TempDir dir;
    std::string master = write_master_fixture(dir.path()), db = dir.store("gateway.db");
    {
        GatewayProcess gateway(master, db, "127.0.0.1:0", dir / "gateway.log");
        WireClient thief(gateway.address());
        REQUIRE(thief.handshake("dev-002", "R2"));
        thief.batch({check_in_record("dev-001", 1, "T1", 31.2304, 121.5060)});
        REQUIRE(thief.receive());
        WireClient owner(gateway.address());
        REQUIRE(owner.handshake("dev-001"));
        owner.batch({check_in_record("dev-001", 1, "T1", 31.2304, 121.5060)});
        REQUIRE(owner.receive());
    }
    auto listed = run({binary("fieldflow"), "records", "--db", db, "--device", "dev-001"});
    REQUIRE(listed.code == 0);
    auto lines = listed.out;
    auto rejected = lines.substr(lines.find("\"verdict\":\"rejected\""));
    rejected = rejected.substr(0, rejected.find('\n'));
    CHECK(rejected.find("\"sender\":\"dev-002\"") != std::string::npos);
    CHECK(lines.find("wrong_device") != std::string::npos);
    // A booked record came from the device it names, and says nothing more.
    auto accepted = lines.substr(lines.find("\"verdict\":\"accepted\""));
    accepted = accepted.substr(0, accepted.find('\n'));
    CHECK(accepted.find("sender") == std::string::npos);
}
