#pragma once
// The tables of the operators' console as downloads, behind the same login
// as the JSON API (gateway/operator_api.h):
//   GET /api/export/TABLE.xlsx   an Excel workbook (tables/xlsx_writer.h)
//   GET /api/export/TABLE.csv    CSV in UTF-8 with a byte-order mark, so
//                                that Excel reads its Chinese right
// where TABLE is
//   ledger         ?period=YYYY-MM: per distributor and product
//   channel        ?period=YYYY-MM: the channel's stock per product
//   anomalies      [?period=YYYY-MM]: the anomaly scan's findings
//   review         ?state=open|decided|all[&reason&rep&terminal&device]:
//                  flagged records with their decisions, every page of them
//   effectiveness  ?period=YYYY-MM&view=reps|grades|terminals|plan[&a&b&c]:
//                  any list the effectiveness report has, with all its columns
// Every table also takes lang=zh-CN|en (else Accept-Language decides;
// Chinese first, as the console) for its headings and file name, and tz,
// the browser's minutes east of UTC, for the times of the review queue.
// The file name rides in Content-Disposition as RFC 6266 says: an ASCII
// one, and the named one in UTF-8 (RFC 5987) for browsers that read it.

#include <optional>
#include <string>

#include "gateway/distribution_pages.h"
#include "gateway/http_server.h"
#include "gateway/master_in_force.h"
#include "gateway/operator_api.h"
#include "store/gateway_store.h"

namespace fieldflow::gateway {

class ExportRoutes {
  public:
    // `db_path` opens the distribution books for the anomaly scan, as the
    // console's pages do.
    ExportRoutes(OperatorApi& api, store::GatewayStore& store, DistributionPages& books,
                 std::string db_path, const MasterInForce& master)
        : api_(api), store_(store), books_(books), db_path_(std::move(db_path)), master_(master) {}

    // The answer for an /api/export/ path, nullopt for any other path.
    std::optional<HttpResponse> handle(const HttpRequest& request);

  private:
    OperatorApi& api_;
    store::GatewayStore& store_;
    DistributionPages& books_;
    std::string db_path_;
    const MasterInForce& master_;
};

// `Content-Disposition: attachment` naming `name` (UTF-8), with `fallback`
// (ASCII) for browsers that do not read RFC 5987's filename*.
std::string attachment(const std::string& name, const std::string& fallback);

}  // namespace fieldflow::gateway
