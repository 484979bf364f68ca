#pragma once
// The operators' API answers in JSON: a body, or {"error": message} that
// names what was wrong.

#include <boost/beast/http/status.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "gateway/http_server.h"

namespace fieldflow::gateway {

HttpResponse json_reply(const HttpRequest& request, boost::beast::http::status status,
                        const nlohmann::json& body);
HttpResponse json_error(const HttpRequest& request, boost::beast::http::status status,
                        const std::string& message);

}  // namespace fieldflow::gateway
