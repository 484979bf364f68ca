#pragma once
// What of the master data one handheld needs: the terminals of its rep's
// territory, every product, and the distributors serving that territory. A
// device's slice at two versions, compared with core::master_changes, is
// what the gateway sends it (docs/protocol.md, "Downlink"); so a rep moved
// to another territory gets the new terminals and loses the old ones.

#include <string>

#include "core/master_data.h"

namespace fieldflow::core {

// The slice for `rep` in `data`; no terminals and no distributors when the
// rep is not in it. Of the reps, only `rep` itself: a device needs its
// own role (which decides what its app offers) and nobody else's row.
MasterData master_slice(const MasterData& data, const std::string& rep);

}  // namespace fieldflow::core
