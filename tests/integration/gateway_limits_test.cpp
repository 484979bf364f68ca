// The gateway's limits: a client that dribbles a frame is closed in
// seconds, connections beyond the maximum are turned away at once, and a
// device over its rate waits for its next frame to be read — while the
// well-behaved connections go on. And a SIGKILL at any moment loses nothing
// that was acked.

#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <set>
#include <thread>

#include "support/gateway_process.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/wire_client.h"

using namespace fieldflow::test;

namespace {

std::vector<std::vector<std::byte>> counts(std::uint64_t first, std::uint64_t n) {
    std::vector<std::vector<std::byte>> records;
    for (std::uint64_t seq = first; seq < first + n; ++seq)
        records.push_back(count_record("dev-001", seq, "T1", "P1", 1));
    return records;
}

}  // namespace

TEST_CASE("limits: a frame that does not arrive whole in time closes its connection only") {
    TempDir dir;
    GatewayProcess gateway(write_master_fixture(dir.path()), dir.store("gateway.db"), "127.0.0.1:0",
                           dir / "gateway.log", {"--frame-timeout", "1"});
    WireClient slow(gateway.address());
    REQUIRE(slow.handshake("dev-001"));
    // A segment table announcing 1000 words, then nothing more.
    std::uint32_t prefix[2] = {0, 1000};
    slow.send_bytes(prefix, sizeof prefix);
    WireClient good(gateway.address());
    REQUIRE(good.handshake("dev-002", "R2"));
    auto reply = slow.receive(std::chrono::seconds(5));
    REQUIRE(reply);
    REQUIRE(reply->isError());
    CHECK(std::string(reply->getError().getCode()) == "timeout");
    CHECK(slow.closed());
    good.batch({check_in_record("dev-002", 1, "T2", 30.2590, 120.1300, "R2")});
    auto ack = good.receive();
    REQUIRE(ack);
    CHECK(ack->isAck());
}

TEST_CASE("limits: connections beyond the maximum are closed at once") {
    TempDir dir;
    GatewayProcess gateway(write_master_fixture(dir.path()), dir.store("gateway.db"), "127.0.0.1:0",
                           dir / "gateway.log", {"--max-connections", "2"});
    WireClient first(gateway.address()), second(gateway.address());
    REQUIRE(first.handshake("dev-001"));
    REQUIRE(second.handshake("dev-002", "R2"));
    WireClient third(gateway.address());
    CHECK(third.closed(std::chrono::seconds(5)));
    first.batch(counts(1, 1));
    auto ack = first.receive();
    REQUIRE(ack);
    CHECK(ack->isAck());
}

TEST_CASE("limits: a device over its rate is read later, and loses nothing") {
    TempDir dir;
    std::string db = dir.store("gateway.db");
    GatewayProcess gateway(write_master_fixture(dir.path()), db, "127.0.0.1:0", dir / "gateway.log",
                           {"--max-device-rate", "20"});
    WireClient device(gateway.address());
    REQUIRE(device.handshake("dev-001"));
    device.batch(counts(1, 40));  // a second's allowance and another second's more
    REQUIRE(device.receive());
    auto sent = std::chrono::steady_clock::now();
    device.batch(counts(41, 5));
    auto ack = device.receive();
    auto waited = std::chrono::steady_clock::now() - sent;
    REQUIRE(ack);
    CHECK(ack->isAck());
    CHECK(waited >= std::chrono::milliseconds(800));  // about one second of debt
    CHECK(store_scalar(db, "SELECT count(*) FROM records") +
              store_scalar(db, "SELECT count(*) FROM quarantine") ==
          45);
}

TEST_CASE("limits: a gateway killed during group commit has stored everything it acked") {
    TempDir dir;
    std::string master = write_master_fixture(dir.path()), db = dir.store("gateway.db");
    std::set<std::uint64_t> acked;
    std::uint64_t next_seq = 1;
    for (int round = 0; round < 5; ++round) {
        GatewayProcess gateway(master, db, "127.0.0.1:0", dir / "gateway.log");
        WireClient device(gateway.address());
        REQUIRE(device.handshake("dev-001"));
        // Kill it some milliseconds into a stream of batches.
        std::thread killer([&gateway, round] {
            std::this_thread::sleep_for(std::chrono::milliseconds(30 + 40 * round));
            gateway.process().signal(SIGKILL);
        });
        for (;;) {
            std::uint64_t first = next_seq;
            device.batch(counts(first, 50));
            auto reply = device.receive(std::chrono::seconds(5));
            if (!reply || !reply->isAck()) break;
            for (auto result : reply->getAck().getResults()) acked.insert(result.getSeq());
            next_seq += 50;
        }
        killer.join();
        gateway.process().wait();
        // The unacked batch is sent again next round, as an agent would.
    }
    GatewayProcess after(master, db, "127.0.0.1:0", dir / "gateway.log");
    REQUIRE(!acked.empty());
    // One query for every acked seq: a connection per seq made this test
    // take minutes on PostgreSQL.
    std::string seqs;
    for (auto seq : acked) seqs += (seqs.empty() ? "" : ",") + std::to_string(seq);
    auto stored = store_scalar(
        db, "SELECT count(*) FROM records WHERE device = 'dev-001' AND seq IN (" + seqs + ")");
    auto missing = static_cast<long long>(acked.size()) - stored;
    CHECK(missing == 0);
    CHECK(store_scalar(db, "SELECT count(*) FROM records") >= static_cast<long long>(acked.size()));
    CHECK(store_scalar(db, "SELECT count(*) FROM quarantine") == 0);
    auto verify = run({binary("fieldflow"), "audit", "verify", "--db", db});
    CHECK(verify.code == 0);
}

TEST_CASE("limits: a fleet from the load generator is acked exactly once and stored once") {
    TempDir dir;
    std::string master = write_master_fixture(dir.path()), db = dir.store("gateway.db");
    GatewayProcess gateway(master, db, "127.0.0.1:0", dir / "gateway.log", {"--auth", "enrolled"});
    auto out = run({binary("fieldflow"), "loadgen", "--gateway", gateway.address(), "--master",
                    master, "--agents", "8", "--records", "300", "--batch", "50", "--db", db});
    INFO(out.out);
    CHECK(out.code == 0);
    CHECK(out.out.find("acked 2400 of 2400 exactly once: yes") != std::string::npos);
    CHECK(out.out.find("p99.9") != std::string::npos);
    CHECK(store_scalar(db, "SELECT count(*) FROM records") == 2400);
    CHECK(run({binary("fieldflow"), "audit", "verify", "--db", db}).code == 0);
    // What the field sends, and valid as the field sends it: visits with
    // counts, scans of both kinds of code and sales, and a commercial rep's
    // stock reports; nothing quarantined, every scanned pack a new one.
    for (const char* kind :
         {"check_in", "stock_count", "scan", "terminal_sales", "check_out", "distributor_stock"})
        CHECK_MESSAGE(store_scalar(db, std::string("SELECT count(*) FROM records WHERE kind = '") +
                                           kind + "'") > 0,
                      kind);
    CHECK(store_scalar(db, "SELECT count(*) FROM quarantine") == 0);
    CHECK(store_scalar(db,
                       "SELECT count(*) FROM records WHERE kind = 'scan' AND verdict = "
                       "'accepted'") == store_scalar(db, "SELECT count(*) FROM pack_sightings"));
    CHECK(store_scalar(db, "SELECT count(*) FROM record_reasons") == 0);

    // A second fleet numbered past the first: new devices and new packs.
    auto next = run({binary("fieldflow"), "loadgen", "--gateway", gateway.address(), "--master",
                     master, "--agents", "4", "--records", "100", "--batch", "50", "--first-device",
                     "9", "--db", db});
    INFO(next.out);
    CHECK(next.code == 0);
    CHECK(next.out.find("acked 400 of 400 exactly once: yes") != std::string::npos);
    CHECK(store_scalar(db, "SELECT count(*) FROM records WHERE device = 'lg-00009'") == 100);
    CHECK(store_scalar(db, "SELECT count(*) FROM records WHERE device = 'lg-00013'") == 0);
    CHECK(store_scalar(db, "SELECT count(*) FROM record_reasons") == 0);
    CHECK(store_scalar(db,
                       "SELECT count(*) FROM records WHERE kind = 'scan' AND verdict = "
                       "'accepted'") == store_scalar(db, "SELECT count(*) FROM pack_sightings"));
    auto past = run({"/bin/sh", "-c",
                     binary("fieldflow") + " loadgen --gateway " + gateway.address() +
                         " --master " + master + " --agents 10 --first-device 995 2>&1"});
    CHECK(past.code == 2);
    CHECK(past.out.find("devices 995 to 1004 go past device 999") != std::string::npos);
    auto too_many = run({"/bin/sh", "-c",
                         binary("fieldflow") + " loadgen --gateway " + gateway.address() +
                             " --master " + master + " --agents 1000 2>&1"});
    CHECK(too_many.code == 2);
    CHECK(too_many.out.find("--agents expects a whole number from 1 to 999, got \"1000\"") !=
          std::string::npos);
    auto last =
        run({binary("fieldflow"), "loadgen", "--gateway", gateway.address(), "--master", master,
             "--agents", "1", "--records", "10", "--first-device", "999", "--db", db});
    CHECK(last.code == 0);
    CHECK(store_scalar(db, "SELECT count(*) FROM records WHERE device = 'lg-00999'") == 10);

    auto strangers = run({binary("fieldflow"), "loadgen", "--gateway", gateway.address(),
                          "--master", master, "--agents", "2", "--records", "10", "--prefix", "x"});
    CHECK(strangers.code == 1);  // not enrolled: nothing stored
    CHECK(store_scalar(db, "SELECT count(*) FROM records") == 2810);
}

TEST_CASE("limits: the load generator offers no more than --rate and names a bad --mix") {
    TempDir dir;
    std::string master = write_master_fixture(dir.path()), db = dir.store("gateway.db");
    GatewayProcess gateway(master, db, "127.0.0.1:0", dir / "gateway.log", {"--auth", "enrolled"});
    // 4 devices, 4 batches of 25 each, 400 records a second in all: the
    // last batches are due 0.75 s after the start at the earliest.
    auto out = run({binary("fieldflow"), "loadgen", "--gateway", gateway.address(), "--master",
                    master, "--agents", "4", "--records", "100", "--batch", "25", "--rate", "400",
                    "--mix", "scan=1", "--db", db});
    INFO(out.out);
    CHECK(out.code == 0);
    CHECK(out.out.find("offered 400 records/s") != std::string::npos);
    CHECK(out.out.find("acked 400 of 400 exactly once: yes") != std::string::npos);
    auto at = out.out.find(" records in ");
    REQUIRE(at != std::string::npos);
    CHECK(std::stod(out.out.substr(at + 12)) >= 0.75);
    CHECK(store_scalar(db, "SELECT count(*) FROM records WHERE kind = 'stock_count'") == 0);

    auto bad = run({"/bin/sh", "-c",
                    binary("fieldflow") + " loadgen --gateway " + gateway.address() + " --master " +
                        master + " --mix count=4,scans=2 2>&1"});
    CHECK(bad.code == 2);
    CHECK(bad.out.find("--mix count=4,scans=2: scans is not a kind") != std::string::npos);
}
