#pragma once
// A handheld beside a gateway in the test's process whose store gets new
// master-data and plan versions while it runs, as `fieldflow master import`
// and `fieldflow plan import` give them: the suites of the downlink
// (master_downlink_test.cpp, plan_downlink_test.cpp) start from it.

#include <doctest/doctest.h>

#include <SQLiteCpp/Statement.h>

#include <chrono>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "agent/outbox.h"
#include "agent/scratch_state.h"
#include "agent/sync.h"
#include "agent/with_gateway/sync_to.h"
#include "core/clock.h"
#include "core/visit_plan.h"
#include "store/master_store.h"
#include "store/plan_store.h"
#include "store/sql.h"
#include "support/in_process_gateway.h"

namespace fieldflow::test {

inline agent::SyncOptions to(const std::string& address, std::ostream& out) {
    return sync_to(address, out, std::chrono::seconds(30));
}

// Handheld dev-001 of rep R1, set up and not synced yet, beside a gateway in
// the test's process.
struct HandheldBesideGateway {
    ScratchState dir;
    InProcessGateway gateway;
    agent::Outbox outbox{dir.path()};
    std::ostringstream out;

    HandheldBesideGateway() { outbox.init({"dev-001", "R1"}); }
    int sync_with_gateway() { return agent::sync(outbox, to(gateway.address(), out)); }
};

// Stores `data` as the next version beside the running gateway and waits
// until the gateway has taken it up.
inline void import_while_running(InProcessGateway& gateway, const core::MasterData& data) {
    auto db = store::sql::Database::open(gateway.db());
    auto imported = store::MasterStore(*db).import(data, "test", "test", core::unix_now_ms());
    REQUIRE(imported.created);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (gateway.master_in_force().now()->version < imported.version &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(gateway.master_in_force().now()->version == imported.version);
}

// Imports `visits` into the running gateway's store; returns the plan version.
inline std::int64_t import_plan(InProcessGateway& gateway,
                                const std::vector<core::PlannedVisit>& visits) {
    auto db = store::sql::Database::open(gateway.db());
    store::PlanStore plans(*db, store::PlanStore::Tables::existing);
    auto imported = plans.import(visits, "test", "test", core::unix_now_ms());
    REQUIRE(imported.created);
    return imported.version;
}

// The ids in `table`'s `column` on the handheld, sorted, comma-separated.
inline std::string held(agent::Outbox& outbox, const std::string& table,
                        const std::string& column) {
    SQLite::Statement q(outbox.database(), "SELECT " + column + " FROM " + table + " ORDER BY 1");
    std::string out;
    while (q.executeStep()) out += (out.empty() ? "" : ",") + q.getColumn(0).getString();
    return out;
}

inline core::Terminal terminal(const std::string& id, const std::string& territory, double lat,
                               double lon) {
    core::Terminal t;
    t.id = id;
    t.name = "药房 " + id;
    t.territory = territory;
    t.lat = lat;
    t.lon = lon;
    t.radius_m = 100;
    return t;
}

}  // namespace fieldflow::test
