#pragma once
// The master data's versions for the console, as `fieldflow master list`
// shows them, newest first (the gateway takes up the newest: gateway/master_watch.h):
//   GET /api/master  {"versions": [{"version", "imported_at_ms",
//                    "source", "by", "products"|"terminals"|"distributors"|"reps":
//                    {"added", "changed", "removed"}}]}

#include <nlohmann/json.hpp>

#include "store/gateway_store.h"

namespace fieldflow::gateway {

nlohmann::json master_versions(store::GatewayStore& store);

}  // namespace fieldflow::gateway
