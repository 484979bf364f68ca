#pragma once
// The distribution books for the dashboard: a period's ledger per
// distributor and product with variances beyond tolerance marked, and the
// field-effectiveness report, from the same core computations as the CLI.
// Both need a scan of the store, so each is kept until what it was
// computed from changes.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>

#include "core/calendar.h"
#include "core/effectiveness.h"
#include "core/master_data.h"
#include "gateway/master_in_force.h"
#include "store/gateway_store.h"

namespace fieldflow::gateway {

class DistributionPages {
  public:
    DistributionPages(store::GatewayStore& store, const std::string& db_path,
                      const MasterInForce& master)
        : store_(store), db_path_(db_path), master_(master) {}

    // {"period", "rows": [holder_rows...], "channel": [{product, channel_stock}]}
    nlohmann::json ledger(core::Period period);
    // {"period", "targets", "grades": [...], "reps": [...], "terminals": [...],
    //  "plan": [...]} (gateway/plan_pages.h)
    nlohmann::json effectiveness(core::Period period, const core::VisitTargets& targets);

  private:
    // Changes whenever a row of the books is added or a period closes or reopens.
    std::string books_fingerprint();

    store::GatewayStore& store_;
    std::string db_path_;
    const MasterInForce& master_;
    std::string ledger_fingerprint_;
    std::map<core::Period, nlohmann::json> ledgers_;
    std::int64_t visits_seen_ = -1;
    std::int64_t visits_read_at_ms_ = 0;
    std::map<std::string, nlohmann::json> reports_;  // by period and targets
};

}  // namespace fieldflow::gateway
