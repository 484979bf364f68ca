#pragma once
// What the dashboard shows, as one JSON document: ingest over the last
// minutes, the verdict mix and top reasons, latency, devices online and
// silent, distributors whose flow data is late, and the open review queue.
// Built on the operators' thread from the metrics and its own store
// connection.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/master_data.h"
#include "core/territory_scope.h"
#include "gateway/master_in_force.h"
#include "gateway/ingest_history.h"
#include "gateway/metrics.h"
#include "store/distribution_store.h"
#include "store/gateway_store.h"

namespace fieldflow::gateway {

struct OverviewOptions {
    // Online means a session is open now; without one a device is idle
    // until it has not been seen for this long, then silent.
    unsigned silent_hours = 24;
    unsigned flow_late_days = 3;  // no flow data for this long: late

    // "online", "idle" or "silent": a device last seen `idle_s` seconds ago.
    const char* device_state(bool connected, double idle_s) const {
        return connected ? "online" : idle_s >= silent_hours * 3600.0 ? "silent" : "idle";
    }
};

// Every reason code with its Chinese name and severity, for the pages to
// show a code the way core names it rather than keep their own copy.
nlohmann::json reason_names();

class Overview {
  public:
    Overview(const Metrics& metrics, store::GatewayStore& store, const MasterInForce& master,
             OverviewOptions options = {});

    // Takes a sample of the metrics for the charts; call every few seconds.
    void tick(std::int64_t now_ms);
    // As an operator limited to `scope` sees it: devices of its reps,
    // distributors that serve it, its open reviews. The ingest figures
    // stay the gateway's: they describe its load and name no rep,
    // terminal or record.
    nlohmann::json now(std::int64_t now_ms,
                       const core::TerritoryScope& scope = core::TerritoryScope());

  private:
    // Facts that need a scan of the store, read again only after the
    // store changed, and at most every half minute.
    void refresh_store_facts(std::int64_t now_ms);

    const Metrics& metrics_;
    store::GatewayStore& store_;
    const MasterInForce& master_;
    OverviewOptions options_;
    IngestHistory history_;
    std::int64_t facts_read_at_ms_ = 0;
    std::int64_t data_version_ = -1;
    std::vector<store::FlowArrival> arrivals_;
    std::int64_t open_reviews_ = 0;
    // Where each open review's record is (terminal as its payload names it,
    // rep), read with the facts above once a limited operator asked.
    bool placing_open_reviews_ = false;
    std::vector<std::pair<std::string, std::string>> open_review_places_;
};

}  // namespace fieldflow::gateway
