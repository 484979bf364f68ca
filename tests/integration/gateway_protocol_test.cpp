// The gateway against a bare protocol client: bad frames cost only their own
// connection, every record of a batch gets a verdict in order, and a record
// sent again is stored once.

#include <doctest/doctest.h>

#include <csignal>
#include <cstring>
#include <fstream>

#include "schemas/frame.h"
#include "support/gateway_process.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/wire_client.h"

using namespace fieldflow;
using namespace fieldflow::test;

namespace {

// A gateway that takes frames of 64 KiB at most.
struct FrameLimitedGateway {
    TempDir dir;
    std::string master = write_master_fixture(dir.path());
    std::string db = dir.store("gateway.db");
    GatewayProcess gateway{
        master, db, "127.0.0.1:0", dir / "gateway.log", {"--max-frame-bytes", "65536"}};
};

std::string error_code_of(WireClient& client) {
    auto reply = client.receive();
    REQUIRE(reply.has_value());
    REQUIRE(reply->isError());
    return reply->getError().getCode();
}

// The welcome to a hello from dev-001, valid until the client's next receive.
wire::Welcome::Reader welcome_of(WireClient& client) {
    client.hello("dev-001");
    auto reply = client.receive();
    REQUIRE(reply.has_value());
    REQUIRE(reply->isWelcome());
    return reply->getWelcome();
}

}  // namespace

TEST_CASE("gateway: a batch before the hello is refused and only that connection closes") {
    FrameLimitedGateway f;
    WireClient good(f.gateway.address());
    REQUIRE(good.handshake("dev-001"));

    WireClient rude(f.gateway.address());
    rude.batch({check_in_record("dev-001", 1, "T1", t1_lat, t1_lon)});
    CHECK(error_code_of(rude) == "handshake_required");
    CHECK(rude.closed());

    good.batch({check_in_record("dev-001", 1, "T1", t1_lat, t1_lon)});
    auto ack = good.receive();
    REQUIRE(ack.has_value());
    REQUIRE(ack->isAck());
    CHECK(ack->getAck().getResults()[0].getVerdict() == wire::Verdict::ACCEPTED);
}

TEST_CASE("gateway: garbage bytes get malformed_frame and a close") {
    FrameLimitedGateway f;
    WireClient client(f.gateway.address());
    // A segment table announcing one segment of two words, then two words of noise.
    const unsigned char garbage[24] = {0,    0,    0,    0,    2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,
                                       0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5,    6,    7,    8};
    client.send_bytes(garbage, sizeof garbage);
    CHECK(error_code_of(client) == "malformed_frame");
    CHECK(client.closed());
}

TEST_CASE("gateway: an oversized frame is refused from its header alone") {
    FrameLimitedGateway f;
    WireClient client(f.gateway.address());
    REQUIRE(client.handshake("dev-001"));
    // Announces one segment of 1 Mi words (8 MiB) against a 64 KiB limit; no body follows.
    const unsigned char header[8] = {0, 0, 0, 0, 0, 0, 0x10, 0};
    client.send_bytes(header, sizeof header);
    auto code = error_code_of(client);
    CHECK(code == "frame_too_large");
    CHECK(client.closed());
}

TEST_CASE("gateway: a hello of another protocol version is refused") {
    FrameLimitedGateway f;
    WireClient client(f.gateway.address());
    client.hello("dev-001", "R1", wire::PROTOCOL_VERSION + 1);
    CHECK(error_code_of(client) == "protocol_version");
}

TEST_CASE(
    "gateway: every record of a batch gets its own verdict, in order, and nothing is dropped") {
    FrameLimitedGateway f;
    WireClient client(f.gateway.address());
    REQUIRE(client.handshake("dev-001"));

    std::vector<std::byte> garbage(48, std::byte{0x5a});
    client.batch({check_in_record("dev-001", 1, "T1", t1_lat, t1_lon), garbage,
                  unset_record("dev-001", 3), count_record("dev-001", 4, "T1", "P404", 2),
                  count_record("dev-001", 5, "T1", "P1", 6)});
    auto ack = client.receive();
    REQUIRE(ack.has_value());
    REQUIRE(ack->isAck());
    auto results = ack->getAck().getResults();
    REQUIRE(results.size() == 5);
    CHECK(results[0].getVerdict() == wire::Verdict::ACCEPTED);
    CHECK(results[1].getVerdict() == wire::Verdict::REJECTED);
    CHECK(results[1].getReasons()[0].getCode() == "malformed_record");
    CHECK(results[1].getSeq() == 0);
    CHECK(results[2].getVerdict() == wire::Verdict::REJECTED);
    CHECK(results[2].getReasons()[0].getCode() == "unsupported_kind");
    CHECK(results[3].getVerdict() == wire::Verdict::REJECTED);
    CHECK(results[3].getReasons()[0].getCode() == "unknown_product");
    CHECK(results[4].getVerdict() == wire::Verdict::ACCEPTED);
    CHECK(results[4].getSeq() == 5);

    CHECK(store_scalar(f.db, "SELECT count(*) FROM records") == 2);
    CHECK(store_scalar(f.db, "SELECT count(*) FROM quarantine") == 3);
    CHECK(store_scalar(
              f.db, "SELECT count(*) FROM quarantine WHERE seq IS NULL AND length(raw) = 48") == 1);
}

TEST_CASE("gateway: a batch sent again is acked with the first verdicts and stored once") {
    FrameLimitedGateway f;
    WireClient client(f.gateway.address());
    REQUIRE(client.handshake("dev-001"));
    std::vector<std::vector<std::byte>> batch{
        check_in_record("dev-001", 1, "T1", t1_lat + 0.01, t1_lon),
        count_record("dev-001", 2, "T1", "P9", 1), std::vector<std::byte>(16, std::byte{1})};
    client.batch(batch);
    auto first = client.receive();
    REQUIRE(first->isAck());
    CHECK(first->getAck().getResults()[0].getVerdict() == wire::Verdict::FLAGGED);
    CHECK_FALSE(first->getAck().getResults()[0].getDuplicate());

    client.batch(batch);
    auto again = client.receive();
    REQUIRE(again->isAck());
    auto results = again->getAck().getResults();
    CHECK(results[0].getVerdict() == wire::Verdict::FLAGGED);
    CHECK(results[0].getReasons()[0].getCode() == "outside_geofence");
    CHECK(results[1].getVerdict() == wire::Verdict::REJECTED);
    CHECK(results[2].getVerdict() == wire::Verdict::REJECTED);
    for (auto r : results) CHECK(r.getDuplicate());
    CHECK(store_scalar(f.db, "SELECT count(*) FROM records") == 1);
    CHECK(store_scalar(f.db, "SELECT count(*) FROM quarantine") == 2);
}

TEST_CASE("gateway: the same sequence number with other content is kept as sequence_reused") {
    FrameLimitedGateway f;
    WireClient client(f.gateway.address());
    REQUIRE(client.handshake("dev-001"));
    client.batch({check_in_record("dev-001", 1, "T1", t1_lat, t1_lon)});
    REQUIRE(client.receive()->isAck());
    client.batch({count_record("dev-001", 1, "T1", "P1", 3)});
    auto ack = client.receive();
    REQUIRE(ack->isAck());
    auto result = ack->getAck().getResults()[0];
    CHECK(result.getVerdict() == wire::Verdict::REJECTED);
    CHECK(result.getReasons()[0].getCode() == "sequence_reused");
    CHECK(store_scalar(f.db, "SELECT count(*) FROM records WHERE seq = 1 AND kind = 'check_in'") ==
          1);
    CHECK(store_scalar(
              f.db, "SELECT count(*) FROM quarantine WHERE seq = 1 AND kind = 'stock_count'") == 1);
}

TEST_CASE("gateway: a device cannot store records under another device's id") {
    FrameLimitedGateway f;
    WireClient thief(f.gateway.address());
    REQUIRE(thief.handshake("dev-002", "R2"));
    thief.batch({check_in_record("dev-001", 1, "T1", t1_lat, t1_lon)});
    auto ack = thief.receive();
    REQUIRE(ack->isAck());
    CHECK(ack->getAck().getResults()[0].getReasons()[0].getCode() == "wrong_device");

    // The real dev-001's record 1 is still judged on its own.
    WireClient owner(f.gateway.address());
    REQUIRE(owner.handshake("dev-001"));
    owner.batch({check_in_record("dev-001", 1, "T1", t1_lat, t1_lon)});
    auto mine = owner.receive();
    REQUIRE(mine->isAck());
    CHECK(mine->getAck().getResults()[0].getVerdict() == wire::Verdict::ACCEPTED);
    CHECK_FALSE(mine->getAck().getResults()[0].getDuplicate());
    CHECK(store_scalar(f.db, "SELECT count(*) FROM records WHERE device = 'dev-001'") == 1);
}

TEST_CASE("gateway: a silent connection is closed after the handshake timeout") {
    TempDir dir;
    auto master = write_master_fixture(dir.path());
    GatewayProcess gateway(master, dir.store("gateway.db"), "127.0.0.1:0", dir / "gateway.log",
                           {"--handshake-timeout", "1"});
    WireClient silent(gateway.address());
    auto reply = silent.receive(std::chrono::seconds(5));
    REQUIRE(reply.has_value());
    CHECK(reply->isError());
    CHECK(std::string(reply->getError().getCode().cStr()) == "timeout");
    CHECK(silent.closed());
}

TEST_CASE("gateway: SIGTERM finishes cleanly with exit code 0") {
    FrameLimitedGateway f;
    WireClient client(f.gateway.address());
    REQUIRE(client.handshake("dev-001"));
    client.batch({check_in_record("dev-001", 1, "T1", t1_lat, t1_lon)});
    REQUIRE(client.receive()->isAck());
    f.gateway.process().signal(SIGTERM);
    CHECK(f.gateway.process().wait() == 0);
    CHECK(store_scalar(f.db, "SELECT count(*) FROM records") == 1);
}

TEST_CASE("gateway: bad options and missing master data are refused with exit code 2") {
    TempDir dir;
    auto master = write_master_fixture(dir.path());
    CHECK(run({binary("fieldflow-gateway"), "--listen", "nowhere", "--db", dir.store("g.db"),
               "--master", master})
              .code == 2);
    CHECK(run({binary("fieldflow-gateway"), "--listen", "127.0.0.1:0", "--db", dir.store("g.db")})
              .code == 2);
    CHECK(run({binary("fieldflow-gateway"), "--listen", "127.0.0.1:0", "--db", dir.store("g.db"),
               "--master", dir / "no-such-folder"})
              .code == 2);
    for (const char* batches : {"0", "65", "many"})
        CHECK(run({binary("fieldflow-gateway"), "--listen", "127.0.0.1:0", "--db",
                   dir.store("g.db"), "--master", master, "--batches-in-flight", batches})
                  .code == 2);
}

TEST_CASE("gateway: batches sent ahead of their acks are acked in their order, each record once") {
    FrameLimitedGateway f;
    WireClient client(f.gateway.address());
    std::uint32_t allowed = welcome_of(client).getMaxBatchesInFlight();
    CHECK(allowed == 4);  // the default
    // Every batch the welcome allows, at once; then their acks.
    constexpr std::uint64_t per_batch = 10;
    for (std::uint64_t b = 0; b < allowed; ++b) {
        std::vector<std::vector<std::byte>> records;
        for (std::uint64_t seq = b * per_batch + 1; seq <= (b + 1) * per_batch; ++seq)
            records.push_back(count_record("dev-001", seq, "T1", "P1", 1));
        client.batch(records);
    }
    for (std::uint64_t b = 0; b < allowed; ++b) {
        auto ack = client.receive();
        REQUIRE(ack.has_value());
        REQUIRE(ack->isAck());
        auto results = ack->getAck().getResults();
        REQUIRE(results.size() == per_batch);
        for (unsigned i = 0; i < per_batch; ++i) {
            CHECK(results[i].getSeq() == b * per_batch + i + 1);
            CHECK_FALSE(results[i].getDuplicate());
        }
    }
    CHECK(store_scalar(f.db, "SELECT count(*) FROM records") +
              store_scalar(f.db, "SELECT count(*) FROM quarantine") ==
          allowed * per_batch);
}

TEST_CASE("gateway: the welcome announces the batches a connection may send ahead") {
    TempDir dir;
    GatewayProcess gateway(write_master_fixture(dir.path()), dir.store("gateway.db"), "127.0.0.1:0",
                           dir / "gateway.log", {"--batches-in-flight", "2"});
    WireClient client(gateway.address());
    CHECK(welcome_of(client).getMaxBatchesInFlight() == 2);
}

TEST_CASE("gateway: a master file without a required column stops the start, a bad row does not") {
    TempDir dir;
    auto master = write_master_fixture(dir.path());
    {
        std::ofstream(master + "/terminals.csv", std::ios::app)
            << "T3,坏行,pharmacy,CN-SH-PD,north,121.5,100,A\n";
        GatewayProcess gateway(master, dir.store("g.db"), "127.0.0.1:0", dir / "gateway.log");
        gateway.process().signal(SIGTERM);
        CHECK(gateway.process().wait() == 0);
    }
    std::ofstream(master + "/products.csv") << "product_id,name\nP1,x\n";
    CHECK(run({binary("fieldflow-gateway"), "--listen", "127.0.0.1:0", "--db", dir.store("g.db"),
               "--master", master})
              .code == 2);
}

TEST_CASE("gateway: a deflated batch, which the welcome offers, is acked like a batch") {
    FrameLimitedGateway f;
    WireClient client(f.gateway.address());
    CHECK(welcome_of(client).getAcceptsDeflate());
    client.deflated_batch({check_in_record("dev-001", 1, "T1", t1_lat, t1_lon),
                           count_record("dev-001", 2, "T1", "P1", 6)});
    auto ack = client.receive();
    REQUIRE(ack);
    REQUIRE(ack->isAck());
    auto results = ack->getAck().getResults();
    REQUIRE(results.size() == 2);
    CHECK(results[0].getSeq() == 1);
    CHECK(results[1].getSeq() == 2);
    CHECK(store_scalar(f.db, "SELECT count(*) FROM records") == 2);
}

TEST_CASE("gateway: a deflated batch that would inflate past the frame limit is refused alone") {
    FrameLimitedGateway f;  // frames of at most 64 KiB
    WireClient bomb(f.gateway.address()), good(f.gateway.address());
    REQUIRE(bomb.handshake("dev-001"));
    REQUIRE(good.handshake("dev-002", "R2"));
    // 16 MiB of zeros deflate to about 16 KiB.
    std::vector<unsigned char> zeros(16 << 20);
    auto deflated = fieldflow::wire::deflate_bytes(kj::arrayPtr(zeros.data(), zeros.size()));
    REQUIRE(deflated.size() < 65536);
    bomb.deflated_bytes({deflated.begin(), deflated.end()});
    CHECK(error_code_of(bomb) == "frame_too_large");
    CHECK(bomb.closed());

    WireClient noise(f.gateway.address());
    REQUIRE(noise.handshake("dev-003", "R3"));
    noise.deflated_bytes({1, 2, 3, 4, 5, 6, 7, 8});
    CHECK(error_code_of(noise) == "malformed_frame");

    good.batch({check_in_record("dev-002", 1, "T2", 30.2590, 120.1300, "R2")});
    auto ack = good.receive();
    REQUIRE(ack);
    CHECK(ack->isAck());
}
