#pragma once
// The dashboard's books as an operator limited to some territories sees
// them (core/territory_scope.h): ledger rows of the distributors and
// terminals in scope, effectiveness rows of its reps and terminals, grade
// totals recounted from those terminals. The channel's stock per product
// sums every holder of the country, so such an operator gets none.

#include <nlohmann/json.hpp>

#include "core/master_data.h"
#include "core/territory_scope.h"

namespace fieldflow::gateway {

// `ledger` as DistributionPages::ledger makes it.
nlohmann::json scoped_ledger(nlohmann::json ledger, const core::TerritoryScope& scope,
                             const core::MasterData& master);
// `report` as DistributionPages::effectiveness makes it.
nlohmann::json scoped_effectiveness(nlohmann::json report, const core::TerritoryScope& scope,
                                    const core::MasterData& master);

}  // namespace fieldflow::gateway
