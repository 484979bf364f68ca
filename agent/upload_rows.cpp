#include "agent/upload_rows.h"

#include <algorithm>

#include "schemas/record_codec.h"

namespace fieldflow::agent {

std::optional<core::ImportKind> upload_kind(std::string_view name) {
    auto kind = core::import_kind_from_name(name);
    if (kind == core::ImportKind::flows || kind == core::ImportKind::stock) return kind;
    return std::nullopt;
}

UploadRows read_upload(core::ImportKind kind, std::istream& in, const std::string& file) {
    UploadRows rows;
    auto keep = [&](core::Payload payload, unsigned line) {
        try {
            core::Record probe;
            probe.payload = payload;
            wire::encode_record(probe);
        } catch (const wire::Unencodable& e) {
            rows.bad.push_back({file, line, e.what()});
            return;
        }
        rows.payloads.push_back(std::move(payload));
    };
    core::RowHandlers handlers;
    handlers.flow = [&](const core::FlowRow& r) {
        keep(core::FlowReport{r.flow_id, core::format_date(r.day), r.seller, r.buyer, r.product,
                              r.lot, r.qty},
             r.line);
    };
    handlers.stock = [&](const core::StockRow& r) {
        keep(core::DistributorStock{r.holder, r.product, r.lot, r.qty, core::format_date(r.day),
                                    r.report_id},
             r.line);
    };
    core::read_distribution_csv(kind, in, file, handlers, rows.bad);
    std::stable_sort(rows.bad.begin(), rows.bad.end(),
                     [](const auto& a, const auto& b) { return a.line < b.line; });
    return rows;
}

}  // namespace fieldflow::agent
