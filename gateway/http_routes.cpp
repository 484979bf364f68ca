#include "gateway/http_routes.h"

#include "gateway/static_files.h"

namespace fieldflow::gateway {

namespace http = boost::beast::http;

HttpHandler operator_routes(const Metrics& metrics, Readiness readiness, OperatorApi& api,
                            ExportRoutes& exports, std::string web_dir) {
    return [&metrics, readiness = std::move(readiness), &api, &exports,
            web_dir = std::move(web_dir)](const HttpRequest& request,
                                          const std::string& peer) -> HttpAnswer {
        if (auto download = exports.handle(request)) return std::move(*download);
        if (auto answer = api.handle(request, peer)) return std::move(*answer);
        if (auto file = static_file(request, web_dir)) return std::move(*file);
        std::string_view target(request.target().data(), request.target().size());
        target = target.substr(0, target.find('?'));
        if (request.method() != http::verb::get)
            return http_response(request, http::status::method_not_allowed, "text/plain",
                                 std::string(request.method_string()) + " is not allowed on " +
                                     std::string(target) + "\n");
        if (target == "/healthz")
            return http_response(request, http::status::ok, "text/plain", "ok\n");
        if (target == "/readyz") {
            std::string why = readiness();
            return why.empty() ? http_response(request, http::status::ok, "text/plain", "ready\n")
                               : http_response(request, http::status::service_unavailable,
                                               "text/plain", "not ready: " + why + "\n");
        }
        if (target == "/metrics")
            return http_response(request, http::status::ok, "text/plain; version=0.0.4",
                                 metrics.exposition());
        return http_response(request, http::status::not_found, "text/plain",
                             "no page at " + std::string(target) + "\n");
    };
}

}  // namespace fieldflow::gateway
