// POST /api/upload/check and POST /api/upload (docs/agent.md): a commercial
// rep's distributor file, picked on the page, read as `upload` reads one.
// The check queues nothing and says which rows are bad and why, by line;
// the upload queues the good rows together, in one transaction, as the
// check said. Both take the file's bytes as the body, and ?kind=flows|stock
// &encoding=auto|utf-8|gbk&name=FILE. A handheld whose rep is not
// commercial, or that does not know its rep's role yet, is refused (403).

#include <sstream>

#include "agent/master_apply.h"
#include "agent/serve_api.h"
#include "agent/upload_rows.h"
#include "core/text_encoding.h"
#include "net/http_query.h"

namespace fieldflow::agent {

namespace http = boost::beast::http;
using nlohmann::json;

UiResponse ServeApi::upload(const UiRequest& request, bool queue) {
    // The page shows 上传 to a commercial rep only; this refuses the rest
    // as well, before anything is read.
    auto role = rep_role(context_.outbox.database());
    if (role.empty())
        return api_error(request, http::status::forbidden, "role_unknown",
                         "本机还不知道您的岗位：请先同步，商务代表才能上传流向和库存",
                         "this handheld does not know its rep's role yet: sync first; only a "
                         "commercial rep uploads flows and stock");
    if (role != "commercial")
        return api_error(
            request, http::status::forbidden, "not_commercial", "只有商务代表可以上传流向和库存",
            "only a commercial rep uploads flows and stock; this handheld's rep is " + role);
    auto parameters = net::query_parameters({request.target().data(), request.target().size()});
    auto refuse = [&](const std::string& code, const std::string& field, const std::string& zh,
                      const std::string& en) {
        return api_error(request, http::status::bad_request, code, zh, en,
                         json{{"field", field}}.dump());
    };
    auto kind = upload_kind(parameters["kind"]);
    if (!kind)
        return refuse("bad_field", "kind", "请选择流向或库存",
                      "kind is flows or stock, not \"" + parameters["kind"] + "\"");
    std::string file = parameters["name"].empty() ? "upload.csv" : parameters["name"];
    std::string_view bytes(request.body().data(), request.body().size());
    if (bytes.empty()) return refuse("empty_file", "body", "文件是空的", "the file is empty");

    std::string encoding = parameters["encoding"].empty() ? "auto" : parameters["encoding"];
    if (encoding == "auto") encoding = core::guess_encoding(bytes);
    std::string text;
    if (encoding == "gbk") {
        try {
            text = core::gbk_to_utf8(bytes);
        } catch (const core::EncodingError& e) {
            return refuse("not_gbk", "encoding",
                          "文件不是 GBK 编码（第 " + std::to_string(e.offset) + " 字节）",
                          file + " is not GBK text (byte " + std::to_string(e.offset) + ")");
        }
    } else if (encoding == "utf-8") {
        if (!core::valid_utf8(bytes))
            return refuse("not_utf8", "encoding", "文件不是 UTF-8 编码：请选择 GBK",
                          file + " is not UTF-8 text: choose GBK");
        text = bytes;
    } else {
        return refuse("bad_field", "encoding", "编码须为自动、UTF-8 或 GBK",
                      "encoding is auto, utf-8 or gbk, not \"" + encoding + "\"");
    }

    std::istringstream in(text);
    auto rows = read_upload(*kind, in, file);
    json bad = json::array();
    for (const auto& e : rows.bad)
        bad.push_back({{"line", e.line},
                       {"code", e.code},
                       {"zh", e.chinese.empty() ? e.message : e.chinese},
                       {"en", e.message}});
    json answer{{"kind", parameters["kind"]},   {"file", file},          {"encoding", encoding},
                {"rows", rows.payloads.size()}, {"bad", std::move(bad)}, {"queued", 0}};
    if (queue && !rows.payloads.empty()) {
        auto seqs = context_.outbox.reports(rows.payloads);
        answer["queued"] = seqs.size();
        answer["first"] = seqs.front();
        answer["last"] = seqs.back();
        captured();
    }
    return json_response(request, http::status::ok, answer.dump());
}

}  // namespace fieldflow::agent
