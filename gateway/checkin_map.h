#pragma once
// What the review card draws for a flagged check-in (web/checkin_drawing.js):
// the terminal and its geofence, the fix and its accuracy, the distance
// between them, and the device's other check-ins that day in China time as
// a path with times, so that a reviewer sees impossible travel rather than
// reading it. Served as GET /api/review/ID/map (gateway/operator_api.h).

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>

#include "core/territory_scope.h"
#include "gateway/master_in_force.h"
#include "store/gateway_store.h"

namespace fieldflow::gateway {

class CheckinMaps {
  public:
    CheckinMaps(store::GatewayStore& store, const MasterInForce& master)
        : store_(store), master_(master) {}

    // For the flagged record `id`; nullopt when there is none or it is no
    // check-in. The day's other check-ins outside `scope` are left out of
    // the path and only counted: an operator limited to some territories
    // learns that the rep was elsewhere, not where.
    //   {"record", "device", "rep", "day",
    //    "terminal": {"id", "name", "lat", "lon", "radius_m"} | null (unknown),
    //    "fix": {"lat", "lon", "accuracy_m"} | null (no fix),
    //    "distance_m": metres from the terminal to the fix | null,
    //    "path": [{"seq", "captured_at_ms", "time" (HH:MM), "terminal",
    //              "lat", "lon", "located", "this"}] by capture time,
    //    "outside_scope": check-ins of the day left out}
    std::optional<nlohmann::json> of(std::int64_t id, const core::TerritoryScope& scope = {});

  private:
    store::GatewayStore& store_;
    const MasterInForce& master_;
};

}  // namespace fieldflow::gateway
