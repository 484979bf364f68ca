// Several gateways on one store, as a national deployment runs them on one
// PostgreSQL database (and as two processes may share one SQLite file): a
// record that reaches two of them is stored once, and each acks it with the
// verdict it was first given.

#include <doctest/doctest.h>

#include <mutex>
#include <thread>

#include "support/gateway_process.h"
#include "support/handheld.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/wire_client.h"

using namespace fieldflow;
using namespace fieldflow::test;

namespace {

struct TwoGateways {
    TempDir dir;
    std::string master = write_master_fixture(dir.path());
    std::string db = dir.store("shared.db");
    GatewayProcess a{master, db, "127.0.0.1:0", dir / "a.log"};
    GatewayProcess b{master, db, "127.0.0.1:0", dir / "b.log"};
};

struct Acked {
    wire::Verdict verdict;
    bool duplicate;
};

// Sends `batch` as `device` and returns what the gateway acked, in order.
std::vector<Acked> upload(const std::string& address, const std::string& device,
                          const std::vector<std::vector<std::byte>>& batch) {
    WireClient client(address);
    std::vector<Acked> acked;
    if (!client.handshake(device)) return acked;
    client.batch(batch);
    auto ack = client.receive();
    if (!ack || !ack->isAck()) return acked;
    for (auto r : ack->getAck().getResults()) acked.push_back({r.getVerdict(), r.getDuplicate()});
    return acked;
}

}  // namespace

TEST_CASE("shared store: a batch re-sent to another gateway is acked with its first verdicts") {
    TwoGateways g;
    std::vector<std::vector<std::byte>> batch{
        check_in_record("dev-001", 1, "T1", t1_lat + 0.01, t1_lon),  // 1 km off: flagged
        count_record("dev-001", 2, "T1", "P1", 3), count_record("dev-001", 3, "T1", "P9", 1)};
    auto first = upload(g.a.address(), "dev-001", batch);
    REQUIRE(first.size() == 3);
    CHECK(first[0].verdict == wire::Verdict::FLAGGED);
    CHECK(first[1].verdict == wire::Verdict::ACCEPTED);
    CHECK(first[2].verdict == wire::Verdict::REJECTED);  // P9 is not a product
    for (const auto& r : first) CHECK_FALSE(r.duplicate);

    // The ack was lost on the way: the handheld sends the batch again,
    // and this time its connection lands on the other gateway.
    auto again = upload(g.b.address(), "dev-001", batch);
    REQUIRE(again.size() == 3);
    for (std::size_t i = 0; i < again.size(); ++i) {
        CHECK(again[i].verdict == first[i].verdict);
        CHECK(again[i].duplicate);
    }
    CHECK(store_scalar(g.db, "SELECT count(*) FROM records") == 2);
    CHECK(store_scalar(g.db, "SELECT count(*) FROM quarantine") == 1);

    // The open visit the first gateway recorded counts at the second one.
    auto later = upload(g.b.address(), "dev-001", {count_record("dev-001", 4, "T1", "P2", 1)});
    REQUIRE(later.size() == 1);
    CHECK(later[0].verdict == wire::Verdict::ACCEPTED);
}

TEST_CASE("shared store: the same records sent to two gateways at once are stored once") {
    TwoGateways g;
    constexpr int devices = 3, batches = 8, per_batch = 10;
    const char* device_of[devices] = {"dev-001", "dev-002", "dev-003"};
    const char* rep_of[devices] = {"R1", "R2", "R3"};
    // Per device and record: how many acks said it was new, at either gateway.
    std::vector<std::vector<int>> firsts(devices, std::vector<int>(batches * per_batch + 1, 0));
    std::vector<std::vector<int>> acks = firsts;
    std::mutex tally;
    std::vector<std::thread> senders;
    for (int d = 0; d < devices; ++d)
        for (const GatewayProcess* gateway : {&g.a, &g.b})
            senders.emplace_back([&, d, gateway] {
                WireClient client(gateway->address());
                if (!client.handshake(device_of[d], rep_of[d])) return;
                for (int b = 0; b < batches; ++b) {
                    std::vector<std::vector<std::byte>> batch;
                    for (int i = 1; i <= per_batch; ++i) {
                        auto seq = static_cast<std::uint64_t>(b * per_batch + i);
                        batch.push_back(
                            seq == 1
                                ? check_in_record(device_of[d], 1, "T1", t1_lat, t1_lon, rep_of[d])
                                : count_record(device_of[d], seq, "T1", "P1",
                                               static_cast<std::int32_t>(seq), rep_of[d]));
                    }
                    client.batch(batch);
                    auto ack = client.receive();
                    if (!ack || !ack->isAck()) return;
                    auto results = ack->getAck().getResults();
                    std::lock_guard lock(tally);
                    for (unsigned i = 0; i < results.size(); ++i) {
                        auto seq = static_cast<std::size_t>(b * per_batch + 1 + i);
                        ++acks[d][seq];
                        if (!results[i].getDuplicate()) ++firsts[d][seq];
                    }
                }
            });
    for (auto& t : senders) t.join();

    for (int d = 0; d < devices; ++d)
        for (int seq = 1; seq <= batches * per_batch; ++seq) {
            INFO(device_of[d] << " seq " << seq);
            CHECK(acks[d][seq] == 2);    // both gateways acked it
            CHECK(firsts[d][seq] == 1);  // and exactly one of them stored it
        }
    CHECK(store_scalar(g.db, "SELECT count(*) FROM records") == devices * batches * per_batch);
    CHECK(store_scalar(g.db, "SELECT count(DISTINCT device || ':' || seq) FROM records") ==
          devices * batches * per_batch);
    CHECK(store_scalar(g.db, "SELECT count(*) FROM quarantine") == 0);
}

TEST_CASE("shared store: a gateway whose database connections were cut goes on, losing nothing" *
          doctest::test_suite("postgresql only")) {
    TwoGateways g;
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    h({"checkin", "--terminal", "T1", "--lat", "31.2304", "--lon", "121.5060", "--accuracy", "5"});
    h({"count", "--product", "P1", "--qty", "4"});
    REQUIRE(h({"sync", "--gateway", g.a.address()}).code == 0);

    // Every connection to the database ends, as when the server restarts.
    store_scalar(g.db,
                 "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                 "WHERE datname = current_database() AND pid <> pg_backend_pid()");
    h({"count", "--product", "P2", "--qty", "2"});
    h({"checkout"});
    auto sync = h({"sync", "--gateway", g.a.address(), "--retry-for", "30"});
    CHECK(sync.code == 0);
    CHECK(h.status_has("\"depth\":0,"));
    CHECK(store_scalar(g.db, "SELECT count(*) FROM records") == 4);
    auto verify = run({binary("fieldflow"), "audit", "verify", "--db", g.db});
    INFO(verify.out);
    CHECK(verify.code == 0);
}
