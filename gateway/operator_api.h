#pragma once
// The JSON API behind the operators' pages: login with a password, and the
// review queue of flagged records.
//   POST /api/login          {"name","password"} → session cookie, and as /api/me;
//                            429 with Retry-After while a login limit holds,
//                            503 with Retry-After when too many logins wait
//   POST /api/logout
//   GET  /api/me             who is logged in: role, territories (empty: all), the CSRF
//                            token ("operator": null if nobody)
//   GET  /api/overview       the dashboard's figures (gateway/overview.h)
//   GET  /api/live           the same, as server-sent events every two seconds
//   GET  /api/ledger         ?period=YYYY-MM: the ledger per distributor and product
//   GET  /api/effectiveness  ?period=YYYY-MM[&a=4&b=3&c=1]: visits against targets
//   GET  /api/review         flagged records; ?state=open|decided|all, reason, rep,
//                            terminal, device, before (an id, for the next page)
//   POST /api/review/ID      {"decision":"approve"|"reject","comment"} (reviewer, admin)
//   GET  /api/review/ID/map  a flagged check-in's drawing (gateway/checkin_map.h;
//                            reviewer, admin)
//   GET  /api/photos/SHA256  a photo a handheld sent, as stored (gateway/operator_photos.cpp)
//   /api/books/...           imports, flow adjustments and month-end close
//                            (gateway/book_actions.h)
//   GET  /api/master         master-data versions and what changed in each
//                            (gateway/master_pages.h)
//   /api/devices             handhelds: list, enrol, revoke, a device's page
//                            (gateway/device_routes.h)
//   GET  /api/audit          the audit log, a page at a time, and whether its chain
//                            holds (gateway/audit_pages.h; admins of every territory)
// An operator limited to some territories (store/operator_accounts.h) gets
// only what core/territory_scope.h places in them, from every route; a
// record, photo or device outside is answered 404, as one that does not
// exist, so that guessing ids tells nothing.
// Every POST but the login must carry the session's token in X-CSRF-Token
// and a JSON body (an import, the file itself); the cookie is HttpOnly and
// SameSite=Strict.

#include <memory>
#include <optional>

#include <nlohmann/json_fwd.hpp>

#include <spdlog/logger.h>

#include "gateway/book_actions.h"
#include "gateway/checkin_map.h"
#include "gateway/device_routes.h"
#include "gateway/distribution_pages.h"
#include "gateway/http_server.h"
#include "gateway/master_in_force.h"
#include "gateway/operator_login.h"
#include "gateway/overview.h"
#include "gateway/personal_data.h"
#include "store/gateway_store.h"
#include "store/photo_store.h"

namespace fieldflow::gateway {

class OperatorApi {
  public:
    // `store` is a connection of the HTTP thread's own: a slow password
    // hash or a query never holds up the committer.
    OperatorApi(store::GatewayStore& store, Overview& overview, DistributionPages& books,
                OperatorLogin& logins, CheckinMaps& maps, BookActions& actions,
                DeviceRoutes& devices, const MasterInForce& master, PersonalDataRoles personal_data,
                std::shared_ptr<spdlog::logger> log)
        : store_(store),
          overview_(overview),
          books_(books),
          logins_(logins),
          maps_(maps),
          actions_(actions),
          devices_(devices),
          master_(master),
          personal_data_(std::move(personal_data)),
          log_(std::move(log)) {}

    // The answer for an /api/ path from `peer`, nullopt for any other path.
    std::optional<HttpAnswer> handle(const HttpRequest& request, const std::string& peer);

    // The logged-in operator of a request, if any.
    std::optional<store::ActiveSession> session_of(const HttpRequest& request);

    // Whether `who` may see the flagged record `r`.
    bool in_scope(const store::Operator& who, const store::FlaggedRecord& r) const;

  private:
    HttpAnswer login(const HttpRequest& request, const std::string& peer);
    HttpResponse logged_in(const HttpRequest& request, const store::Operator& who);
    // What of a rep's personal data `who` may open, for the page to offer.
    nlohmann::json opens(const store::Operator& who) const;
    HttpResponse review_list(const HttpRequest& request, const store::Operator& who);
    HttpResponse decide(const HttpRequest& request, const store::ActiveSession& who,
                        std::int64_t record);

    // Writes the audit entry for `who` opening personal data
    // (gateway/personal_data.h); the refusal to send instead when it cannot.
    std::optional<HttpResponse> opened(const HttpRequest& request, const store::Operator& who,
                                       std::string_view what, std::int64_t record,
                                       const std::string& detail);
    HttpResponse checkin_map(const HttpRequest& request, const store::ActiveSession& who,
                             std::string_view id);
    HttpAnswer live(const HttpRequest& request);
    HttpResponse photo(const HttpRequest& request, const store::Operator& who,
                       std::string_view sha256);
    // Adds "photo" to a review record whose payload names one: {"sha256",
    // "received"} for those who may open it, {"received"} for the others.
    void with_photo(nlohmann::json& record, const store::Operator& who);
    store::PhotoStore& photos();
    HttpResponse distribution(const HttpRequest& request, const store::Operator& who,
                              std::string_view page);

    store::GatewayStore& store_;
    Overview& overview_;
    DistributionPages& books_;
    OperatorLogin& logins_;
    CheckinMaps& maps_;
    BookActions& actions_;
    DeviceRoutes& devices_;
    const MasterInForce& master_;
    const PersonalDataRoles personal_data_;  // as the gateway started
    std::shared_ptr<spdlog::logger> log_;
    std::unique_ptr<store::PhotoStore> photos_;  // from the first request that needs it
};

}  // namespace fieldflow::gateway
