#pragma once
// The JSON API behind the operators' pages: login with a password, and the
// review queue of flagged records.
//   POST /api/login          {"name","password"} → session cookie and CSRF token
//   POST /api/logout
//   GET  /api/me             who is logged in, with the CSRF token
//   GET  /api/review         flagged records; ?state=open|decided|all, reason, rep,
//                            terminal, device, before (an id, for the next page)
//   POST /api/review/ID      {"decision":"approve"|"reject","comment"} (reviewer, admin)
// Every POST but the login must carry the session's token in X-CSRF-Token
// and a JSON body; the cookie is HttpOnly and SameSite=Strict.

#include <optional>

#include "gateway/http_server.h"
#include "store/gateway_store.h"

namespace fieldflow::gateway {

class OperatorApi {
  public:
    // `store` is a connection of the HTTP thread's own: a slow password
    // hash or a query never holds up the committer.
    explicit OperatorApi(store::GatewayStore& store) : store_(store) {}

    // The answer for an /api/ path, nullopt for any other path.
    std::optional<HttpResponse> handle(const HttpRequest& request);

    // The logged-in operator of a request, if any.
    std::optional<store::ActiveSession> session_of(const HttpRequest& request);

  private:
    HttpResponse login(const HttpRequest& request);
    HttpResponse review_list(const HttpRequest& request);
    HttpResponse decide(const HttpRequest& request, const store::ActiveSession& who,
                        std::int64_t record);

    store::GatewayStore& store_;
};

}  // namespace fieldflow::gateway
