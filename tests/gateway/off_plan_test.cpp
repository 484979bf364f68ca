// Visit plans at the gateway: a check-in off the rep's plan for its day is
// flagged `off_plan` and booked, one on a day without a plan is not, and the
// effectiveness page's plan against actual counts planned, done, missed and
// unplanned visits.

#include <doctest/doctest.h>

#include "core/record.h"
#include "gateway/distribution_pages.h"
#include "gateway/master_in_force.h"
#include "schemas/record_codec.h"
#include "store/plan_store.h"
#include "support/in_process_gateway.h"
#include "support/scratch_store.h"
#include "support/wire_client.h"

using namespace fieldflow;
using namespace fieldflow::test;

namespace {

// 2026-03-02, a Monday, 10:00 in China.
constexpr std::int64_t monday_10am = 1'772'416'800'000;
constexpr std::int64_t hour = 3'600'000, day_ms = 24 * hour;
const core::Day monday = *core::parse_date("2026-03-02");

std::vector<std::byte> check_in(std::uint64_t seq, const core::Terminal& at, std::int64_t ms) {
    return wire::encode_record(
        {"dev-001", seq, "R1", ms,
         core::CheckIn{at.id, at.lat, at.lon, 10, core::FixJudgement::manual, 0}});
}

std::vector<std::byte> check_out(std::uint64_t seq, const std::string& terminal,
                                 std::uint64_t check_in_seq, std::int64_t ms) {
    return wire::encode_record(
        {"dev-001", seq, "R1", ms, core::CheckOut{terminal, check_in_seq, false}});
}

long long reasons(const InProcessGateway& g, std::uint64_t seq, const std::string& code) {
    return store_scalar(g.db(),
                        "SELECT count(*) FROM record_reasons x JOIN records r ON r.id = "
                        "x.record_id WHERE r.seq = " +
                            std::to_string(seq) + " AND x.code = '" + code + "'");
}

}  // namespace

TEST_CASE(
    "gateway off_plan: flagged off the day's plan, not on a day without one; plan "
    "against actual counts it") {
    InProcessGateway g;
    {
        // R1 plans T1 on Monday and on Wednesday; Tuesday has no plan.
        auto db = store::sql::Database::open(g.db());
        store::PlanStore plans(*db);
        REQUIRE(plans
                    .import({{"R1", monday, "T1", "例行拜访", 1},
                             {"R1", monday + 2, "T1", "例行拜访", 1}},
                            "plan.csv", "chen", monday_10am - day_ms)
                    .created);
    }
    const auto& t1 = g.master().terminals.at("T1");
    const auto& t2 = g.master().terminals.at("T2");
    WireClient client(g.address());
    REQUIRE(client.handshake("dev-001"));
    client.batch({check_in(1, t1, monday_10am), check_out(2, "T1", 1, monday_10am + hour / 3),
                  check_in(3, t2, monday_10am + hour), check_in(4, t2, monday_10am + day_ms)});
    auto ack = client.receive();
    REQUIRE(ack);
    REQUIRE(ack->isAck());
    auto results = ack->getAck().getResults();
    REQUIRE(results.size() == 4);
    CHECK(results[2].getVerdict() == wire::Verdict::FLAGGED);
    g.stop();

    CHECK(reasons(g, 1, "off_plan") == 0);
    CHECK(reasons(g, 3, "off_plan") == 1);
    CHECK(reasons(g, 4, "off_plan") == 0);  // Tuesday: no plan, no flag
    CHECK(store_scalar(g.db(), "SELECT count(*) FROM records WHERE seq = 3") == 1);  // booked
    auto detail = store_scalar(g.db(),
                               "SELECT count(*) FROM record_reasons WHERE code = 'off_plan' AND "
                               "detail LIKE 'terminal T2 is not in rep R1''s plan for 2026-03-02 "
                               "(1 planned; the nearest planned is T1, % km away)'");
    CHECK(detail == 1);

    gateway::MasterInForce master(g.master());
    gateway::DistributionPages pages(g.store(), g.db(), master);
    auto report = pages.effectiveness(core::period_of(monday), {});
    auto plan = report.at("plan");
    REQUIRE(plan.size() == 3);
    auto row = [&](std::size_t i) {
        const auto& r = plan.at(i);
        return r.at("rep").get<std::string>() + " " + r.at("day").get<std::string>() + " " +
               std::to_string(r.at("planned").get<int>()) + " " +
               std::to_string(r.at("done").get<int>()) + " " +
               std::to_string(r.at("missed").get<int>()) + " " +
               std::to_string(r.at("unplanned").get<int>());
    };
    CHECK(row(0) == "R1 2026-03-02 1 1 0 1");
    CHECK(row(1) == "R1 2026-03-03 0 0 0 1");
    CHECK(row(2) == "R1 2026-03-04 1 0 1 0");
}
