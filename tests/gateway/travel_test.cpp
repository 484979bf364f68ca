// impossible_travel and short_visit as devices meet them: through the
// gateway's session, with the thresholds its command line sets, and across
// a restart of the committer, where the previous check-in comes from the store.

#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <string>
#include <vector>

#include "core/master_data.h"
#include "core/record.h"
#include "gateway/ingest.h"
#include "gateway/metrics.h"
#include "program/log.h"
#include "schemas/record_codec.h"
#include "store/gateway_store.h"
#include "support/in_process_gateway.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/wire_client.h"

using namespace fieldflow;
using namespace fieldflow::test;

namespace {

// 2026-12-01 09:12 in China Standard Time.
constexpr std::int64_t at_0912 = 1'796'087'520'000;
constexpr std::int64_t minute = 60'000;

// A check-in at `lat` on T1's meridian; 0.45° of latitude north of T1 is 50.0 km away.
std::vector<std::byte> check_in(std::uint64_t seq, std::int64_t at, double lat,
                                const std::string& terminal = "T1") {
    return wire::encode_record(
        core::Record{"dev-001", seq, "R1", at,
                     core::CheckIn{terminal, lat, t1_lon, 10, core::FixJudgement::ok, 0}});
}

std::vector<std::byte> check_out(std::uint64_t seq, std::int64_t at, std::uint64_t check_in_seq) {
    return wire::encode_record(
        core::Record{"dev-001", seq, "R1", at, core::CheckOut{"T1", check_in_seq, false}});
}

struct Judged {
    std::uint64_t seq = 0;
    std::string verdict;
    std::vector<std::pair<std::string, std::string>> reasons;  // code, detail

    std::string detail_of(const std::string& code) const {
        for (const auto& [c, detail] : reasons)
            if (c == code) return detail;
        return "(no " + code + ")";
    }
    bool has(const std::string& code) const { return detail_of(code) != "(no " + code + ")"; }
};

// One batch sent and its ack read.
std::vector<Judged> send(WireClient& client, const std::vector<std::vector<std::byte>>& records) {
    client.batch(records);
    auto reply = client.receive();
    REQUIRE(reply.has_value());
    REQUIRE(reply->isAck());
    std::vector<Judged> judged;
    for (auto r : reply->getAck().getResults()) {
        Judged j{r.getSeq(), r.getVerdict() == wire::Verdict::FLAGGED ? "flagged" : "other", {}};
        for (auto reason : r.getReasons())
            j.reasons.emplace_back(reason.getCode(), reason.getDetail());
        judged.push_back(std::move(j));
    }
    return judged;
}

gateway::Options with(core::TravelLimits travel) {
    auto options = InProcessGateway::open_options();
    options.travel = travel;
    return options;
}

}  // namespace

TEST_CASE(
    "gateway travel: a check-in 50 km from the previous one 10 minutes on is flagged "
    "impossible_travel") {
    InProcessGateway gateway(with({}));  // the defaults: 120 km/h, hops from 1 km
    WireClient client(gateway.address());
    REQUIRE(client.handshake("dev-001"));
    auto first = send(client, {check_in(1, at_0912, t1_lat)});
    REQUIRE(first.size() == 1);
    CHECK_FALSE(first[0].has("impossible_travel"));
    auto second = send(client, {check_in(2, at_0912 + 10 * minute, t1_lat + 0.45)});
    REQUIRE(second.size() == 1);
    CHECK(second[0].verdict == "flagged");
    CHECK(second[0].detail_of("impossible_travel") ==
          "50.0 km in 10 min (300 km/h) from T1 at 09:12");
    // Back at T1 an hour later: 50 km in 50 min is possible.
    auto third = send(client, {check_in(3, at_0912 + 60 * minute, t1_lat)});
    CHECK_FALSE(third.at(0).has("impossible_travel"));
}

TEST_CASE("gateway travel: --max-travel-kmh 0 turns impossible_travel off") {
    InProcessGateway gateway(with({0, 1, 0}));
    WireClient client(gateway.address());
    REQUIRE(client.handshake("dev-001"));
    auto judged = send(
        client, {check_in(1, at_0912, t1_lat), check_in(2, at_0912 + 10 * minute, t1_lat + 0.45)});
    REQUIRE(judged.size() == 2);
    CHECK_FALSE(judged[1].has("impossible_travel"));
}

TEST_CASE(
    "gateway travel: a short visit is flagged when --min-visit-minutes is set, and not at 0") {
    std::vector<std::vector<std::byte>> visit{check_in(1, at_0912, t1_lat),
                                              check_out(2, at_0912 + 3 * minute, 1)};
    {
        InProcessGateway gateway(with({120, 1, 10}));
        WireClient client(gateway.address());
        REQUIRE(client.handshake("dev-001"));
        auto judged = send(client, visit);
        REQUIRE(judged.size() == 2);
        CHECK(judged[1].verdict == "flagged");
        CHECK(judged[1].detail_of("short_visit") ==
              "checked out 3 min after checking in at T1 at 09:12 (minimum 10 min)");
    }
    {
        InProcessGateway gateway(with({}));
        WireClient client(gateway.address());
        REQUIRE(client.handshake("dev-001"));
        auto judged = send(client, visit);
        REQUIRE(judged.size() == 2);
        CHECK_FALSE(judged[1].has("short_visit"));
    }
}

TEST_CASE(
    "gateway travel: after a restart the neighbouring check-ins come from the store, "
    "in capture order however they arrive") {
    TempDir dir;
    std::string db = dir.store("gateway.db");
    auto master = core::load_master_data(write_master_fixture(dir.path())).data;
    program::Log log{spdlog::level::warn};
    gateway::Hello sender{{"dev-001", "R1", "test-agent", 0, 0}, {}, "127.0.0.1:1", 1};
    auto submit = [&](std::vector<gateway::RawRecord> records) {
        // A committer of its own each time, on the same store: a restart.
        store::GatewayStore store{db};
        gateway::Metrics metrics;
        gateway::Ingest ingest(store, master, metrics, wire::ReadLimits{},
                               log.component("committer"), false, core::TravelLimits{120, 1, 10});
        std::promise<gateway::BatchResult> answered;
        auto answer = answered.get_future();
        ingest.submit(sender, std::move(records),
                      [&](gateway::BatchResult result) { answered.set_value(std::move(result)); });
        REQUIRE(answer.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
        auto result = answer.get();
        ingest.stop();
        REQUIRE(result.committed);
        REQUIRE(result.results.size() == 1);
        return result.results[0];
    };
    auto detail = [](const gateway::RecordResult& r, core::ReasonCode code) -> std::string {
        for (const auto& reason : r.reasons)
            if (reason.code == code) return reason.detail;
        return "(none)";
    };

    // 09:12 at T1, then (after a restart) 09:32 at T1: 20 minutes apart, near.
    CHECK(detail(submit({check_in(1, at_0912, t1_lat)}), core::ReasonCode::impossible_travel) ==
          "(none)");
    CHECK(detail(submit({check_in(3, at_0912 + 20 * minute, t1_lat)}),
                 core::ReasonCode::impossible_travel) == "(none)");
    // An older outbox arrives late: 50 km away at 09:22, between the two.
    CHECK(detail(submit({check_in(2, at_0912 + 10 * minute, t1_lat + 0.45)}),
                 core::ReasonCode::impossible_travel) ==
          "50.0 km in 10 min (300 km/h) from T1 at 09:12");
    // The visit opened at 09:32 closed two minutes later, after another restart.
    CHECK(detail(submit({check_out(4, at_0912 + 22 * minute, 3)}), core::ReasonCode::short_visit) ==
          "checked out 2 min after checking in at T1 at 09:32 (minimum 10 min)");
}
