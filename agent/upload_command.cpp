#include "agent/upload_command.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "core/distribution_csv.h"
#include "core/text_encoding.h"

namespace fieldflow::agent {

int upload(Outbox& outbox, const CommandLine& line) {
    const auto& words = line.words();
    if (words.size() != 2) throw UsageError("upload needs a kind (flows or stock) and a FILE");
    auto kind = core::import_kind_from_name(words[0]);
    if (!kind || (*kind != core::ImportKind::flows && *kind != core::ImportKind::stock))
        throw UsageError("upload takes flows or stock, not \"" + words[0] + "\"");
    std::string encoding = line.value("encoding").value_or("utf-8");
    if (encoding != "utf-8" && encoding != "gbk")
        throw UsageError("--encoding is utf-8 or gbk, not \"" + encoding + "\"");
    const std::string& file = words[1];
    std::unique_ptr<std::istream> in;
    try {
        in = core::open_text(file, encoding == "gbk");
    } catch (const core::EncodingError& e) {
        throw Refused(file + " is not GBK text (byte " + std::to_string(e.offset) + ")");
    } catch (const std::runtime_error& e) {
        throw Refused(e.what());
    }

    std::vector<Outbox::Fill> fills;
    std::vector<core::LoadError> bad;
    core::RowHandlers rows;
    rows.flow = [&](const core::FlowRow& r) {
        fills.push_back([r](wire::Envelope::Payload::Builder payload) {
            auto f = payload.initFlow();
            f.setFlowId(r.flow_id);
            f.setDate(core::format_date(r.day));
            f.setSeller(r.seller);
            f.setBuyer(r.buyer);
            f.setProduct(r.product);
            f.setLot(r.lot);
            f.setQty(r.qty);
        });
    };
    rows.stock = [&](const core::StockRow& r) {
        if (r.qty > INT32_MAX) {
            bad.push_back({file, r.line, "qty " + std::to_string(r.qty) + " is too large"});
            return;
        }
        fills.push_back([r](wire::Envelope::Payload::Builder payload) {
            auto s = payload.initDistributorStock();
            s.setReportId(r.report_id);
            s.setDate(core::format_date(r.day));
            s.setDistributor(r.holder);
            s.setProduct(r.product);
            s.setLot(r.lot);
            s.setQty(static_cast<std::int32_t>(r.qty));
        });
    };
    core::read_distribution_csv(*kind, *in, file, rows, bad);
    for (const auto& e : bad) std::cerr << e.file << ':' << e.line << ": " << e.message << '\n';
    if (fills.empty()) {
        std::cout << "nothing to upload from " << file << '\n';
        return bad.empty() ? 0 : 1;
    }
    auto seqs =
        outbox.reports(*kind == core::ImportKind::flows ? "flow" : "distributor_stock", fills);
    std::cout << "queued " << seqs.size() << (*kind == core::ImportKind::flows ? " flow" : " stock")
              << " rows from " << file << " (records " << seqs.front() << "–" << seqs.back() << ")";
    if (!bad.empty()) std::cout << "; " << bad.size() << " bad rows not queued (listed above)";
    std::cout << '\n';
    return bad.empty() ? 0 : 1;
}

}  // namespace fieldflow::agent
