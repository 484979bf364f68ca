#include "gateway/static_files.h"

#include <fstream>
#include <sstream>

namespace fieldflow::gateway {

namespace http = boost::beast::http;

namespace {

struct Asset {
    const char* path;  // as requested
    const char* file;  // under the web folder
    const char* type;
};

const Asset assets[] = {
    {"/", "index.html", "text/html; charset=utf-8"},
    {"/app.js", "app.js", "text/javascript; charset=utf-8"},
    {"/text.js", "text.js", "text/javascript; charset=utf-8"},
    {"/export.js", "export.js", "text/javascript; charset=utf-8"},
    {"/photo_view.js", "photo_view.js", "text/javascript; charset=utf-8"},
    {"/plan_actual.js", "plan_actual.js", "text/javascript; charset=utf-8"},
    {"/book_actions.js", "book_actions.js", "text/javascript; charset=utf-8"},
    {"/app.css", "app.css", "text/css; charset=utf-8"},
    {"/checkin_drawing.js", "checkin_drawing.js", "text/javascript; charset=utf-8"},
    {"/devices.js", "devices.js", "text/javascript; charset=utf-8"},
    {"/devices.css", "devices.css", "text/css; charset=utf-8"},
    {"/review_text.js", "review_text.js", "text/javascript; charset=utf-8"},
    {"/master_versions.js", "master_versions.js", "text/javascript; charset=utf-8"},
    {"/controls.js", "controls.js", "text/javascript; charset=utf-8"},
    {"/audit_log.js", "audit_log.js", "text/javascript; charset=utf-8"},
    {"/favicon.svg", "favicon.svg", "image/svg+xml"},
    {"/vendor/uPlot.iife.min.js", "node_modules/uplot/dist/uPlot.iife.min.js",
     "text/javascript; charset=utf-8"},
    {"/vendor/uPlot.min.css", "node_modules/uplot/dist/uPlot.min.css", "text/css; charset=utf-8"},
};

}  // namespace

void page_security_headers(HttpResponse& response) {
    // blob: images: a photo is fetched once, its opening audited, and shown
    // from memory, thumbnail and enlarged (web/photo_view.js).
    response.set("Content-Security-Policy",
                 "default-src 'self'; img-src 'self' blob:; frame-ancestors 'none'");
    response.set("X-Frame-Options", "DENY");
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Referrer-Policy", "no-referrer");
}

std::optional<HttpResponse> static_file(const HttpRequest& request, const std::string& web_dir) {
    if (request.method() != http::verb::get) return std::nullopt;
    std::string_view target(request.target().data(), request.target().size());
    target = target.substr(0, target.find('?'));
    for (const auto& asset : assets) {
        if (target != asset.path) continue;
        std::ifstream in(web_dir + "/" + asset.file, std::ios::binary);
        if (!in)
            return http_response(request, http::status::not_found, "text/plain",
                                 std::string("the dashboard's ") + asset.file + " is not in " +
                                     web_dir + " (run scripts/install-deps.sh)\n");
        std::ostringstream body;
        body << in.rdbuf();
        auto response = http_response(request, http::status::ok, asset.type, body.str());
        page_security_headers(response);
        return response;
    }
    return std::nullopt;
}

}  // namespace fieldflow::gateway
