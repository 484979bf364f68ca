// The photos behind the review cards: GET /api/photos/SHA256 for a logged-in
// operator of a role that may open photos (--photo-roles). Each opening is
// an audit entry, so the browser keeps none: the next look asks again.

#include <nlohmann/json.hpp>

#include "core/report_rules.h"
#include "core/territory_scope.h"
#include "gateway/json_reply.h"
#include "gateway/operator_api.h"

namespace fieldflow::gateway {

namespace http = boost::beast::http;

store::PhotoStore& OperatorApi::photos() {
    if (!photos_)
        photos_ =
            std::make_unique<store::PhotoStore>(store_.db(), store::PhotoStore::Tables::existing);
    return *photos_;
}

HttpResponse OperatorApi::photo(const HttpRequest& request, const store::Operator& who,
                                std::string_view sha256) {
    auto missing = [&](const std::string& why) {
        auto response = http_response(request, http::status::not_found, "application/json",
                                      nlohmann::json{{"error", why}}.dump());
        response.set(http::field::cache_control, "no-store");
        return response;
    };
    if (!personal_data_.photos.contains(who.role)) {
        auto response =
            json_error(request, http::status::forbidden,
                       "operator " + who.name + " is a " + std::string(store::name(who.role)) +
                           " and may not open photos");
        response.set(http::field::cache_control, "no-store");
        return response;
    }
    if (sha256.empty() || core::sha256_hex(sha256))
        return missing("a photo is named by its SHA-256: 64 lowercase hex digits");
    // A limited operator sees a photo that a record at one of their
    // terminals sent; others as if never received.
    std::string hash(sha256);
    auto uses = photos().uses_of({hash})[hash];
    core::TerritoryScope scope(who.territories);
    if (!scope.everything()) {
        auto master = master_.now();
        bool seen = false;
        for (const auto& use : uses) seen = seen || scope.terminal(master->data, use.terminal);
        if (!seen) return missing("photo not received");
    }
    auto found = photos().photo(hash);
    if (!found) return missing("photo not received");
    std::string detail = "photo " + hash;
    for (const auto& use : uses)
        detail +=
            ", record " + std::to_string(use.seq) + " of " + use.device + " at " + use.terminal;
    if (auto refused = opened(request, who, "photo opened", 0, detail)) return std::move(*refused);
    std::string body(reinterpret_cast<const char*>(found->bytes.data()), found->bytes.size());
    auto response = http_response(request, http::status::ok, found->content_type, std::move(body));
    response.set(http::field::cache_control, "private, no-store");
    response.set("X-Content-Type-Options", "nosniff");
    return response;
}

void OperatorApi::with_photo(nlohmann::json& record, const store::Operator& who) {
    auto& payload = record["payload"];
    if (!payload.is_object()) return;
    auto sha256 = payload.value("photoSha256", std::string());
    if (sha256.empty()) return;
    payload.erase("photoSha256");  // "photo" says it, to those it is for
    record["photo"] = {{"received", photos().has(sha256)}};
    if (personal_data_.photos.contains(who.role)) record["photo"]["sha256"] = sha256;
}

}  // namespace fieldflow::gateway
