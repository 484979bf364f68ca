// The committer judging against the master-data version in force: a
// version taken up between two batches counts from the next batch on, and
// a distributor added by it is followed in the channel's facts.

#include <doctest/doctest.h>

#include <chrono>
#include <future>

#include "gateway/ingest.h"
#include "gateway/master_in_force.h"
#include "gateway/metrics.h"
#include "program/log.h"
#include "store/gateway_store.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/wire_client.h"

using namespace fieldflow;
using namespace fieldflow::test;

namespace {

gateway::BatchResult submit(gateway::Ingest& ingest, std::vector<gateway::RawRecord> records) {
    std::promise<gateway::BatchResult> answered;
    auto answer = answered.get_future();
    gateway::Hello from{{"dev-001", "R1", "test-agent", 0, 0}, {}, "127.0.0.1:1", 1};
    ingest.submit(from, std::move(records),
                  [&](gateway::BatchResult result) { answered.set_value(std::move(result)); });
    REQUIRE(answer.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
    return answer.get();
}

}  // namespace

TEST_CASE("gateway master in force: a version taken up counts from the next batch") {
    TempDir dir;
    auto fixture = core::load_master_data(write_master_fixture(dir.path())).data;
    gateway::MasterInForce master(
        std::make_shared<const gateway::MasterVersionData>(gateway::MasterVersionData{1, fixture}));
    store::GatewayStore store(dir.store("gateway.db"));
    gateway::Metrics metrics;
    program::Log log(spdlog::level::warn);
    gateway::Ingest ingest(store, master, metrics, wire::ReadLimits{}, log.component("committer"),
                           false);

    auto before = submit(ingest, {check_in_record("dev-001", 1, "T3", 31.2010, 121.6010)});
    REQUIRE(before.results.size() == 1);
    CHECK(before.results[0].outcome == core::Outcome::rejected);
    CHECK(before.results[0].reasons.at(0).code == core::ReasonCode::unknown_terminal);

    auto next = fixture;
    auto t3 = next.terminals.at("T1");
    t3.id = "T3";
    t3.lat = 31.2010;
    t3.lon = 121.6010;
    next.terminals.emplace("T3", t3);
    master.take_up(
        std::make_shared<const gateway::MasterVersionData>(gateway::MasterVersionData{2, next}));
    CHECK(master.now()->version == 2);

    auto after = submit(ingest, {check_in_record("dev-001", 2, "T3", 31.2010, 121.6010)});
    REQUIRE(after.results.size() == 1);
    CHECK(after.results[0].outcome == core::Outcome::accepted);
    ingest.stop();
}
