// Handhelds sync through a proxy that drops connections at random points,
// cuts frames short, delays and stalls them: every record each device
// captured ends at the gateway exactly once, and every outbox drains.
// FIELDFLOW_FAULT_SEED replays a run; FIELDFLOW_SOAK_RECORDS makes it a
// soak (records per device; the default keeps it to seconds).

#include <doctest/doctest.h>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "support/fault_proxy.h"
#include "support/gateway_process.h"
#include "support/handheld.h"
#include "support/master_fixture.h"
#include "support/process.h"

using namespace fieldflow::test;

namespace {

unsigned from_env(const char* name, unsigned otherwise) {
    const char* value = std::getenv(name);
    return value ? static_cast<unsigned>(std::strtoul(value, nullptr, 10)) : otherwise;
}

}  // namespace

TEST_CASE("faults: through drops, truncated frames, delays and stalls nothing is lost or doubled") {
    std::uint32_t seed = from_env("FIELDFLOW_FAULT_SEED", std::random_device{}());
    unsigned per_device = from_env("FIELDFLOW_SOAK_RECORDS", 24);
    MESSAGE("fault seed ", seed, " (FIELDFLOW_FAULT_SEED=", seed, " replays it)");
    TempDir dir;
    std::string db = dir.store("gateway.db");
    GatewayProcess gateway(write_master_fixture(dir.path()), db, "127.0.0.1:0",
                           dir / "gateway.log");
    FaultProxy proxy(gateway.address(), seed);

    // Three devices, each a visit with counts, syncing every few captures
    // in small batches: many connections, each meeting whatever fault the
    // proxy draws, and the next sync picking up after it.
    const std::vector<std::pair<std::string, std::string>> devices{
        {"dev-001", "R1"}, {"dev-002", "R2"}, {"dev-003", "R3"}};
    std::vector<Handheld> handhelds(devices.size());
    auto sync = [&](const Handheld& h) {
        h({"sync", "--gateway", proxy.address(), "--batch", "2", "--retry-for", "2"});
    };
    for (std::size_t d = 0; d < devices.size(); ++d) {
        auto& h = handhelds[d];
        REQUIRE(h({"init", "--device", devices[d].first, "--rep", devices[d].second}).code == 0);
        REQUIRE(h({"checkin", "--terminal", "T1", "--lat", "31.2304", "--lon", "121.5060",
                   "--accuracy", "8"})
                    .code == 0);
    }
    for (unsigned i = 2; i <= per_device; ++i) {
        for (auto& h : handhelds) {
            REQUIRE(h({"count", "--product", "P1", "--qty", std::to_string(i)}).code == 0);
            if (i % 2 == 0) sync(h);
        }
    }
    for (int round = 0; round < 200; ++round) {
        bool drained = true;
        for (auto& h : handhelds) {
            if (h.status_has("\"depth\":0,")) continue;
            drained = false;
            sync(h);
        }
        if (drained) break;
    }
    for (auto& h : handhelds) CHECK(h.status_has("\"depth\":0,"));

    for (const auto& entry : devices) {
        const auto& device = entry.first;  // named, not bound: INFO captures it (clang 14)
        INFO(device);
        CHECK(store_scalar(db, "SELECT count(*) FROM records WHERE device = '" + device + "'") ==
              per_device);
        CHECK(store_scalar(db, "SELECT count(DISTINCT seq) FROM records WHERE device = '" + device +
                                   "'") == per_device);
        CHECK(store_scalar(db, "SELECT min(seq) FROM records WHERE device = '" + device + "'") ==
              1);
        CHECK(store_scalar(db, "SELECT max(seq) FROM records WHERE device = '" + device + "'") ==
              per_device);
    }
    CHECK(store_scalar(db, "SELECT count(*) FROM quarantine") == 0);
    // The faults did happen.
    for (auto fault : {FaultProxy::drop, FaultProxy::truncate, FaultProxy::delay})
        CHECK(proxy.count(fault) > 0);
    MESSAGE(store_scalar(db, "SELECT count(*) FROM records"),
            " records stored; connections: ", proxy.count(FaultProxy::clean), " clean, ",
            proxy.count(FaultProxy::drop), " dropped, ", proxy.count(FaultProxy::truncate),
            " truncated, ", proxy.count(FaultProxy::delay), " delayed, ",
            proxy.count(FaultProxy::stall), " stalled");
}
