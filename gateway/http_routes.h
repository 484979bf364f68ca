#pragma once
// What the operators' HTTP listener answers. Probes and metrics need no
// login: a load balancer and Prometheus must reach them as they are.
//   GET /healthz  the process is alive and answering
//   GET /readyz   it accepts agents and can commit: 200, or 503 and why not
//   GET /metrics  the Prometheus text exposition format
//   /api/export/  the console's tables as .xlsx and CSV (gateway/export_routes.h), behind a login
//   /api/...      the operators' JSON API (gateway/operator_api.h), behind a login
//   /, /app.js ... the dashboard's files from `web_dir` (gateway/static_files.h)

#include <functional>
#include <string>

#include "gateway/export_routes.h"
#include "gateway/http_server.h"
#include "gateway/metrics.h"
#include "gateway/operator_api.h"

namespace fieldflow::gateway {

// Why the gateway is not ready, or empty when it is.
using Readiness = std::function<std::string()>;

HttpHandler operator_routes(const Metrics& metrics, Readiness readiness, OperatorApi& api,
                            ExportRoutes& exports, std::string web_dir);

}  // namespace fieldflow::gateway
