// Enrolled devices: a credential shown once, bound to one rep, revocable
// while the device is connected; whatever is refused stays on the device.

#include <doctest/doctest.h>

#include <filesystem>

#include "support/gateway_process.h"
#include "support/handheld.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/wire_client.h"

using namespace fieldflow::test;
namespace wire = fieldflow::wire;

namespace {

std::string enroll(const std::string& db, const std::string& device, const std::string& rep) {
    auto out = run(
        {binary("fieldflow"), "device", "enroll", "--device", device, "--rep", rep, "--db", db});
    REQUIRE(out.code == 0);
    return out.out.substr(0, out.out.find('\n'));
}

void check_in_as(const Handheld& h, const std::string& device, const std::string& rep,
                 const std::string& credential = {}) {
    std::vector<std::string> init{"init", "--device", device, "--rep", rep};
    if (!credential.empty()) init.insert(init.end(), {"--credential", credential});
    REQUIRE(h(init).code == 0);
    h({"checkin", "--terminal", "T1", "--lat", "31.2304", "--lon", "121.5060", "--accuracy", "5"});
}

}  // namespace

TEST_CASE("enrolment: only an enrolled device with its credential and rep uploads") {
    TempDir dir;
    std::string db = dir.store("gateway.db");
    std::string token = enroll(db, "dev-001", "R1");
    CHECK(token.rfind("ffd1.", 0) == 0);
    CHECK(token.size() == 69);
    CHECK(store_scalar(db, "SELECT count(*) FROM device_credentials WHERE token_sha256 = '" +
                               token + "'") == 0);  // only its hash is kept
    GatewayProcess gateway(write_master_fixture(dir.path()), db, "127.0.0.1:0", dir / "gateway.log",
                           {"--auth", "enrolled"});

    Handheld stranger, forger, good;
    check_in_as(stranger, "dev-002", "R2");
    auto refused = stranger({"sync", "--gateway", gateway.address()});
    CHECK(refused.code == 1);
    CHECK(stranger.status_has("\"depth\":1"));
    check_in_as(forger, "dev-001", "R1", "ffd1.0000");
    CHECK(forger({"sync", "--gateway", gateway.address()}).code == 1);
    check_in_as(good, "dev-001", "R1", token);
    CHECK(good({"sync", "--gateway", gateway.address()}).code == 0);
    CHECK(store_scalar(db, "SELECT count(*) FROM records") == 1);
    CHECK(store_scalar(db, "SELECT count(*) FROM auth_log WHERE event = 'hello refused'") == 2);

    // The credential of dev-001 does not make it another rep's device.
    WireClient other_rep(gateway.address());
    other_rep.hello("dev-001", "R2", wire::PROTOCOL_VERSION, token);
    auto reply = other_rep.receive();
    REQUIRE(reply);
    REQUIRE(reply->isError());
    CHECK(std::string(reply->getError().getCode()) == "unauthenticated");
    CHECK(std::string(reply->getError().getMessage()).find("bound to rep R1") != std::string::npos);

    // Nor can its records speak for another rep.
    WireClient device(gateway.address());
    REQUIRE(device.handshake("dev-001", "R1", token));
    device.batch({count_record("dev-001", 7, "T1", "P1", 2, "R2")});
    auto ack = device.receive();
    REQUIRE(ack);
    REQUIRE(ack->isAck());
    CHECK(ack->getAck().getResults()[0].getVerdict() == wire::Verdict::REJECTED);
    CHECK(std::string(ack->getAck().getResults()[0].getReasons()[0].getCode()) == "wrong_device");
}

TEST_CASE("enrolment: a revocation stops a connection already open") {
    TempDir dir;
    std::string db = dir.store("gateway.db");
    std::string token = enroll(db, "dev-001", "R1");
    GatewayProcess gateway(write_master_fixture(dir.path()), db, "127.0.0.1:0", dir / "gateway.log",
                           {"--auth", "enrolled"});
    WireClient device(gateway.address());
    REQUIRE(device.handshake("dev-001", "R1", token));
    device.batch({check_in_record("dev-001", 1, "T1", 31.2304, 121.5060)});
    REQUIRE(device.receive());

    CHECK(run({binary("fieldflow"), "device", "revoke", "dev-001", "--db", db}).code != 0);
    CHECK(run({binary("fieldflow"), "device", "revoke", "dev-001", "--db", db, "--reason", " "})
              .code == 1);
    REQUIRE(run({binary("fieldflow"), "device", "revoke", "dev-001", "--db", db, "--reason",
                 "lost in a taxi", "--by", "wang"})
                .code == 0);
    CHECK(store_scalar(db,
                       "SELECT count(*) FROM audit_log WHERE action = 'device revoked' AND "
                       "actor = 'wang' AND detail = 'dev-001: lost in a taxi'") == 1);
    device.batch({count_record("dev-001", 2, "T1", "P1", 3)});
    auto reply = device.receive();
    REQUIRE(reply);
    REQUIRE(reply->isError());
    CHECK(std::string(reply->getError().getCode()) == "unauthenticated");
    CHECK(device.closed());
    CHECK(store_scalar(db, "SELECT count(*) FROM records") == 1);  // seq 2 stays with the device

    auto listed = run({binary("fieldflow"), "device", "list", "--db", db}).out;
    CHECK(listed.find("dev-001,R1,") != std::string::npos);
    CHECK(listed.back() == '\n');
    CHECK(run({binary("fieldflow"), "device", "revoke", "dev-001", "--db", db, "--reason", "again"})
              .code == 1);

    // Enrolling again issues a new credential; the old one stays dead.
    std::string renewed = enroll(db, "dev-001", "R1");
    WireClient old_token(gateway.address());
    CHECK_FALSE(old_token.handshake("dev-001", "R1", token));
    WireClient new_token(gateway.address());
    CHECK(new_token.handshake("dev-001", "R1", renewed));
}

TEST_CASE("enrolment: a wiped handheld enrolled again continues after its old records") {
    TempDir dir;
    std::string db = dir.store("gateway.db");
    std::string token = enroll(db, "dev-001", "R1");
    GatewayProcess gateway(write_master_fixture(dir.path()), db, "127.0.0.1:0", dir / "gateway.log",
                           {"--auth", "enrolled"});
    Handheld h;
    check_in_as(h, "dev-001", "R1", token);
    REQUIRE(h({"count", "--product", "P1", "--qty", "3"}).code == 0);
    REQUIRE(h({"sync", "--gateway", gateway.address()}).code == 0);
    REQUIRE(store_scalar(db, "SELECT count(*) FROM records") == 2);
    auto old_life = [&] {
        return store_scalar(db,
                            "SELECT sum(seq * 1000 + length(raw)) + max(received_at_ms) FROM "
                            "records WHERE seq <= 2");
    };
    const auto before = old_life();

    // Storage wiped: the same device id, a new outbox, a new credential.
    std::filesystem::remove_all(h.state);
    std::string renewed = enroll(db, "dev-001", "R1");
    REQUIRE(h({"init", "--device", "dev-001", "--rep", "R1", "--credential", renewed}).code == 0);
    auto resumed = h({"sync", "--gateway", gateway.address()});
    INFO(resumed.out);
    CHECK(resumed.code == 0);
    CHECK(resumed.out.find("continues after") != std::string::npos);
    CHECK(h.status_has("\"next_seq\":3"));

    REQUIRE(h({"checkin", "--terminal", "T1", "--lat", "31.2304", "--lon", "121.5060", "--accuracy",
               "5"})
                .code == 0);
    REQUIRE(h({"count", "--product", "P1", "--qty", "4"}).code == 0);
    auto synced = h({"sync", "--gateway", gateway.address()});
    INFO(synced.out);
    CHECK(synced.code == 0);
    CHECK(store_scalar(db, "SELECT count(*) FROM records WHERE device = 'dev-001'") == 4);
    CHECK(store_scalar(db, "SELECT count(*) FROM quarantine") == 0);
    CHECK(store_scalar(db, "SELECT count(*) FROM record_reasons WHERE code = 'sequence_reused'") ==
          0);
    CHECK(store_scalar(db, "SELECT max(seq) FROM records") == 4);
    CHECK(old_life() == before);  // the records of its first life as they were
}

TEST_CASE("enrolment: open mode is for loopback only") {
    TempDir dir;
    auto out = run({binary("fieldflow-gateway"), "--listen", "0.0.0.0:0", "--db", dir.store("g.db"),
                    "--master", write_master_fixture(dir.path()), "--tls-cert", "x", "--tls-key",
                    "y", "--auth", "open"});
    CHECK(out.code == 2);
}
