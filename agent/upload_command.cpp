#include "agent/upload_command.h"

#include "agent/upload_rows.h"
#include "agent/usage_error.h"
#include "core/text_encoding.h"

namespace fieldflow::agent {

int upload(Outbox& outbox, const UploadRequest& request, std::ostream& out, std::ostream& errors) {
    auto kind = upload_kind(request.kind);
    if (!kind) throw UsageError("upload takes flows or stock, not \"" + request.kind + "\"");
    const std::string& file = request.file;
    std::unique_ptr<std::istream> in;
    try {
        in = core::open_text(file, request.gbk);
    } catch (const core::EncodingError& e) {
        throw Refused(file + " is not GBK text (byte " + std::to_string(e.offset) + ")");
    } catch (const std::runtime_error& e) {
        throw Refused(e.what());
    }

    auto rows = read_upload(*kind, *in, file);
    const bool zh = request.chinese;
    for (const auto& e : rows.bad) {
        errors << e.file << ':' << e.line << ": ";
        if (zh && !e.chinese.empty())
            errors << e.chinese << "（" << e.code << "）\n";
        else
            errors << e.message << '\n';
    }
    if (rows.payloads.empty()) {
        out << (zh ? file + " 中没有可上传的行" : "nothing to upload from " + file) << '\n';
        return rows.bad.empty() ? 0 : 1;
    }
    auto seqs = outbox.reports(rows.payloads);
    const bool flows = *kind == core::ImportKind::flows;
    if (zh) {
        out << "已排队 " << seqs.size() << " 行" << (flows ? "流向" : "库存") << "数据，来自 "
            << file << "（记录 " << seqs.front() << "–" << seqs.back() << "）";
        if (!rows.bad.empty()) out << "；" << rows.bad.size() << " 行有误，未排队（见上）";
    } else {
        out << "queued " << seqs.size() << (flows ? " flow" : " stock") << " rows from " << file
            << " (records " << seqs.front() << "–" << seqs.back() << ")";
        if (!rows.bad.empty())
            out << "; " << rows.bad.size() << " bad rows not queued (listed above)";
    }
    out << '\n';
    return rows.bad.empty() ? 0 : 1;
}

}  // namespace fieldflow::agent
