#pragma once
// The console's audit page (web/audit_log.js), for admins of every
// territory: the log touches every territory's reps, so an operator
// limited to some, and viewers and reviewers, are answered 403.
//   GET /api/audit         a page of entries, newest first (store/audit_entries.h):
//                          ?kind=records|operators|devices|books|plans|reviews|
//                          personal_data|fixes_dropped, actor, from and to (China days,
//                          YYYY-MM-DD, both included), before (an entry's id, for the
//                          next page), limit (1..200, 50 by default)
//   GET /api/audit/verify  the whole chain checked as `fieldflow audit verify` does;
//                          it reads every row the log vouches for, so it runs only
//                          when asked and its time is in the answer

#include <optional>
#include <string_view>

#include "gateway/http_server.h"
#include "store/gateway_store.h"
#include "store/operator_accounts.h"

namespace fieldflow::gateway {

// The answer for an /api/audit path, nullopt for any other path.
std::optional<HttpResponse> audit_page(const HttpRequest& request, std::string_view path,
                                       const store::Operator& who, store::GatewayStore& store);

}  // namespace fieldflow::gateway
