#pragma once
// The dashboard's files, served from the web folder (web/ in the source
// tree, or --web DIR): the page, its script and style, and the chart
// library that `npm ci` put in web/node_modules. Nothing is fetched from
// the internet at run time.

#include <optional>
#include <string>

#include "gateway/http_server.h"

namespace fieldflow::gateway {

// The file for a GET of a known path; nullopt for any other path.
std::optional<HttpResponse> static_file(const HttpRequest& request, const std::string& web_dir);

// Headers every page response carries: only our own scripts run, and no
// other site may frame the page.
void page_security_headers(HttpResponse& response);

}  // namespace fieldflow::gateway
