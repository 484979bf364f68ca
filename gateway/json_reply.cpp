#include "gateway/json_reply.h"

namespace fieldflow::gateway {

HttpResponse json_reply(const HttpRequest& request, boost::beast::http::status status,
                        const nlohmann::json& body) {
    return http_response(request, status, "application/json", body.dump() + "\n");
}

HttpResponse json_error(const HttpRequest& request, boost::beast::http::status status,
                        const std::string& message) {
    return json_reply(request, status, {{"error", message}});
}

}  // namespace fieldflow::gateway
