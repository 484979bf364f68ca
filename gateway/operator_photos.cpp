// The photos behind the review cards: GET /api/photos/SHA256 for a logged-in
// operator of any role, as the review queue is. A photo is named by its
// hash and never changes, so the browser may keep it as long as it likes;
// only privately, since it is a customer's storefront behind a login.

#include <nlohmann/json.hpp>

#include "core/report_rules.h"
#include "core/territory_scope.h"
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
    if (sha256.empty() || core::sha256_hex(sha256))
        return missing("a photo is named by its SHA-256: 64 lowercase hex digits");
    // A limited operator sees a photo that a record at one of their
    // terminals sent; others as if never received.
    core::TerritoryScope scope(who.territories);
    if (!scope.everything()) {
        auto master = master_.now();
        auto uses = photos().uses_of({std::string(sha256)});
        bool seen = false;
        for (const auto& use : uses[std::string(sha256)])
            seen = seen || scope.terminal(master->data, use.terminal);
        if (!seen) return missing("photo not received");
    }
    auto found = photos().photo(std::string(sha256));
    if (!found) return missing("photo not received");
    std::string body(reinterpret_cast<const char*>(found->bytes.data()), found->bytes.size());
    auto response = http_response(request, http::status::ok, found->content_type, std::move(body));
    response.set(http::field::cache_control, "private, max-age=31536000, immutable");
    response.set("X-Content-Type-Options", "nosniff");
    return response;
}

void OperatorApi::with_photo(nlohmann::json& record) {
    const auto& payload = record["payload"];
    if (!payload.is_object()) return;
    auto sha256 = payload.value("photoSha256", std::string());
    if (sha256.empty()) return;
    record["photo"] = {{"sha256", sha256}, {"received", photos().has(sha256)}};
}

}  // namespace fieldflow::gateway
