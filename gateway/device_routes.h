#pragma once
// The handhelds on the operators' console, behind the JSON API's login and
// CSRF check (gateway/operator_api.h), which hands these paths over:
//   GET  /api/devices             every enrolled or seen device: rep, enrolment,
//                                 last hello (version, backlog), online only
//                                 while a connection is open
//   POST /api/devices             {"device","rep"} (admin): enrols it, and answers
//                                 its credential once, with the enrolment URI and
//                                 its QR code as SVG (gateway/enrolment_qr.h)
//   POST /api/devices/ID/revoke   {"reason"} (admin): refused from its next batch on
//   GET  /api/devices/ID          ?tz=MINUTES east of UTC: the device page's figures
// An operator limited to some territories sees, enrols and revokes only the
// devices of their reps; any other is answered 404.
// Enrolment and revocation go through store/device_enrolment.h, as
// `fieldflow device` does: the same checks and audit entries.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/territory_scope.h"
#include "gateway/http_server.h"
#include "gateway/master_in_force.h"
#include "gateway/metrics.h"
#include "gateway/overview.h"
#include "store/gateway_store.h"
#include "store/operator_accounts.h"

namespace fieldflow::gateway {

// Where handhelds reach the gateway, for the enrolment QR code: the agents'
// listener, named by its host unless that is a wildcard, when the host the
// operator's browser used stands in for it.
struct AgentAddress {
    std::string host;
    std::uint16_t port = 0;
    std::string ca_file;  // --agent-ca, empty for none
};

class DeviceRoutes {
  public:
    DeviceRoutes(store::GatewayStore& store, const Metrics& metrics, const MasterInForce& master,
                 OverviewOptions overview, AgentAddress agents)
        : store_(store),
          metrics_(metrics),
          master_(master),
          overview_(overview),
          agents_(std::move(agents)) {}

    // The answer for an /api/devices path, nullopt for any other path.
    std::optional<HttpResponse> handle(const HttpRequest& request, const store::ActiveSession& who,
                                       std::string_view path);

  private:
    HttpResponse list(const HttpRequest& request, const core::TerritoryScope& scope);
    HttpResponse enrol(const HttpRequest& request, const store::ActiveSession& who);
    HttpResponse revoke(const HttpRequest& request, const store::ActiveSession& who,
                        const std::string& device);
    HttpResponse page(const HttpRequest& request, const core::TerritoryScope& scope,
                      const std::string& device);
    std::string agent_address(const HttpRequest& request) const;
    // The devices whose reps are in `scope` (core/territory_scope.h).
    nlohmann::json devices_json(const core::TerritoryScope& scope);

    store::GatewayStore& store_;
    const Metrics& metrics_;
    const MasterInForce& master_;
    OverviewOptions overview_;
    AgentAddress agents_;
};

}  // namespace fieldflow::gateway
