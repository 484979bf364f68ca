// The committer driven directly, without a socket: encoded records in,
// verdicts out, each record stored once, and an answer only once its
// commit is in the store.

#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <string>
#include <vector>

#include "core/master_data.h"
#include "gateway/ingest.h"
#include "gateway/metrics.h"
#include "program/log.h"
#include "store/gateway_store.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/scratch_store.h"
#include "support/wire_client.h"

using namespace fieldflow;
using namespace fieldflow::test;

namespace {

struct Committer {
    explicit Committer(bool enrolment = false)
        : ingest(store, master, metrics, wire::ReadLimits{}, log.component("committer"),
                 enrolment) {}

    gateway::Hello sender(const std::string& device = "dev-001", const std::string& rep = "R1") {
        return {{device, rep, "test-agent", 0, 0}, {}, "127.0.0.1:1", 1};
    }

    gateway::BatchResult submit(std::vector<gateway::RawRecord> records,
                                const gateway::Hello& from) {
        std::promise<gateway::BatchResult> answered;
        auto answer = answered.get_future();
        ingest.submit(from, std::move(records),
                      [&](gateway::BatchResult result) { answered.set_value(std::move(result)); });
        REQUIRE(answer.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
        return answer.get();
    }
    gateway::BatchResult submit(std::vector<gateway::RawRecord> records) {
        return submit(std::move(records), sender());
    }

    gateway::HelloResult hello(gateway::Hello from) {
        std::promise<gateway::HelloResult> answered;
        auto answer = answered.get_future();
        ingest.hello(std::move(from),
                     [&](gateway::HelloResult result) { answered.set_value(std::move(result)); });
        REQUIRE(answer.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
        return answer.get();
    }

    long long count(const std::string& sql) { return store_scalar(db, sql); }

    TempDir dir;
    std::string db = dir.store("gateway.db");
    core::MasterData master = core::load_master_data(write_master_fixture(dir.path())).data;
    store::GatewayStore store{db};
    gateway::Metrics metrics;
    program::Log log{spdlog::level::warn};
    gateway::Ingest ingest;
};

}  // namespace

TEST_CASE("gateway ingest: every record gets its verdict, in the batch's order") {
    Committer c;
    std::vector<std::byte> garbage(48, std::byte{0x5a});
    auto result = c.submit({check_in_record("dev-001", 1, "T1", t1_lat, t1_lon),
                            check_in_record("dev-001", 2, "T1", t1_lat + 0.01, t1_lon), garbage,
                            count_record("dev-001", 4, "T1", "P404", 2),
                            count_record("dev-001", 5, "T1", "P1", 6)});
    REQUIRE(result.committed);
    REQUIRE(result.results.size() == 5);
    const auto& r = result.results;
    CHECK(r[0].seq == 1);
    CHECK(r[0].outcome == core::Outcome::accepted);
    CHECK(r[1].seq == 2);
    CHECK(r[1].outcome == core::Outcome::flagged);
    CHECK(r[1].reasons.at(0).code == core::ReasonCode::outside_geofence);
    CHECK(r[2].seq == 0);
    CHECK(r[2].outcome == core::Outcome::rejected);
    CHECK(r[2].reasons.at(0).code == core::ReasonCode::malformed_record);
    CHECK(r[2].kind == "unreadable");
    CHECK(r[3].outcome == core::Outcome::rejected);
    CHECK(r[3].reasons.at(0).code == core::ReasonCode::unknown_product);
    CHECK(r[4].seq == 5);
    CHECK(r[4].outcome != core::Outcome::rejected);
    for (const auto& one : r) CHECK_FALSE(one.duplicate);
    CHECK(c.count("SELECT count(*) FROM records") == 3);
    CHECK(c.count("SELECT count(*) FROM quarantine") == 2);
}

TEST_CASE("gateway ingest: a (device, seq) sent again gets its first verdict and is stored once") {
    Committer c;
    auto first = c.submit({check_in_record("dev-001", 1, "T1", t1_lat + 0.01, t1_lon)});
    REQUIRE(first.committed);
    // In the same batch twice, and again in a later batch.
    auto again = c.submit({check_in_record("dev-001", 1, "T1", t1_lat + 0.01, t1_lon),
                           check_in_record("dev-001", 1, "T1", t1_lat + 0.01, t1_lon)});
    REQUIRE(again.committed);
    REQUIRE(again.results.size() == 2);
    for (const auto& r : again.results) {
        CHECK(r.duplicate);
        CHECK(r.outcome == core::Outcome::flagged);
        CHECK(r.reasons.at(0).code == core::ReasonCode::outside_geofence);
    }
    CHECK(c.count("SELECT count(*) FROM records") == 1);
    CHECK(c.count("SELECT count(*) FROM quarantine") == 0);
}

TEST_CASE("gateway ingest: a batch is answered only once its records are committed") {
    Committer c;
    std::promise<long long> seen;
    auto in_store = seen.get_future();
    c.ingest.submit(c.sender(),
                    {check_in_record("dev-001", 1, "T1", t1_lat, t1_lon),
                     count_record("dev-001", 2, "T1", "P1", 3)},
                    [&](gateway::BatchResult result) {
                        // Another connection, as a restarted gateway would read it.
                        seen.set_value(result.committed ? c.count("SELECT count(*) FROM records "
                                                                  "WHERE device = 'dev-001'")
                                                        : -1);
                    });
    REQUIRE(in_store.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
    CHECK(in_store.get() == 2);
}

TEST_CASE(
    "gateway ingest: with enrolment, a device that is not enrolled is refused and stores nothing") {
    Committer c(true);
    auto hello = c.hello(c.sender());
    CHECK_FALSE(hello.accepted);
    CHECK_FALSE(hello.store_failed);
    CHECK(hello.refusal == "device dev-001 is not enrolled");
    auto batch = c.submit({check_in_record("dev-001", 1, "T1", t1_lat, t1_lon)});
    CHECK_FALSE(batch.committed);
    CHECK(batch.unauthenticated);
    CHECK(c.count("SELECT count(*) FROM records") == 0);
    CHECK(c.count("SELECT count(*) FROM auth_log") == 2);
}

TEST_CASE("gateway ingest: a hello is recorded as the device's last sighting") {
    Committer c;
    auto from = c.sender("dev-002", "R2");
    from.seen.outbox_depth = 12;
    auto hello = c.hello(from);
    CHECK(hello.accepted);
    CHECK(c.count("SELECT outbox_depth FROM devices WHERE device = 'dev-002' AND rep = 'R2'") ==
          12);
}

TEST_CASE("gateway ingest: a commit the store refuses answers every batch of it as not committed") {
    Committer c;
    REQUIRE(c.submit({check_in_record("dev-001", 1, "T1", t1_lat, t1_lon)}).committed);
    CHECK(c.ingest.committing());
    // Behind the committer's back: its next commit cannot write its records.
    store_exec(c.db, "ALTER TABLE records RENAME TO records_away");
    auto refused = c.submit({count_record("dev-001", 2, "T1", "P1", 3)});
    CHECK_FALSE(refused.committed);
    CHECK_FALSE(refused.unauthenticated);
    CHECK_FALSE(refused.error.empty());
    CHECK(refused.results.empty());
    CHECK_FALSE(c.ingest.committing());

    store_exec(c.db, "ALTER TABLE records_away RENAME TO records");
    auto again = c.submit({count_record("dev-001", 2, "T1", "P1", 3)});
    CHECK(again.committed);
    CHECK(c.ingest.committing());
    CHECK(c.count("SELECT count(*) FROM records") == 2);
}
