#include "agent/upload_command.h"

#include "agent/usage_error.h"
#include "core/distribution_csv.h"
#include "core/text_encoding.h"
#include "schemas/record_codec.h"

namespace fieldflow::agent {

int upload(Outbox& outbox, const UploadRequest& request, std::ostream& out, std::ostream& errors) {
    auto kind = core::import_kind_from_name(request.kind);
    if (!kind || (*kind != core::ImportKind::flows && *kind != core::ImportKind::stock))
        throw UsageError("upload takes flows or stock, not \"" + request.kind + "\"");
    const std::string& file = request.file;
    std::unique_ptr<std::istream> in;
    try {
        in = core::open_text(file, request.gbk);
    } catch (const core::EncodingError& e) {
        throw Refused(file + " is not GBK text (byte " + std::to_string(e.offset) + ")");
    } catch (const std::runtime_error& e) {
        throw Refused(e.what());
    }

    std::vector<core::Payload> payloads;
    std::vector<core::LoadError> bad;
    // A row the record cannot carry is a bad row of its own, found before
    // anything is queued: the rest of the file still goes.
    auto keep = [&](core::Payload payload, unsigned line) {
        try {
            core::Record probe;
            probe.payload = payload;
            wire::encode_record(probe);
        } catch (const wire::Unencodable& e) {
            bad.push_back({file, line, e.what()});
            return;
        }
        payloads.push_back(std::move(payload));
    };
    core::RowHandlers rows;
    rows.flow = [&](const core::FlowRow& r) {
        keep(core::FlowReport{r.flow_id, core::format_date(r.day), r.seller, r.buyer, r.product,
                              r.lot, r.qty},
             r.line);
    };
    rows.stock = [&](const core::StockRow& r) {
        keep(core::DistributorStock{r.holder, r.product, r.lot, r.qty, core::format_date(r.day),
                                    r.report_id},
             r.line);
    };
    core::read_distribution_csv(*kind, *in, file, rows, bad);
    for (const auto& e : bad) errors << e.file << ':' << e.line << ": " << e.message << '\n';
    if (payloads.empty()) {
        out << "nothing to upload from " << file << '\n';
        return bad.empty() ? 0 : 1;
    }
    auto seqs = outbox.reports(payloads);
    out << "queued " << seqs.size() << (*kind == core::ImportKind::flows ? " flow" : " stock")
        << " rows from " << file << " (records " << seqs.front() << "–" << seqs.back() << ")";
    if (!bad.empty()) out << "; " << bad.size() << " bad rows not queued (listed above)";
    out << '\n';
    return bad.empty() ? 0 : 1;
}

}  // namespace fieldflow::agent
