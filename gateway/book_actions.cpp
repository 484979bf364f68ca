#include "gateway/json_reply.h"
#include "gateway/book_actions.h"

#include <nlohmann/json.hpp>

#include <sstream>
#include <stdexcept>

#include "core/digest.h"
#include "core/distribution_csv.h"
#include "core/text_encoding.h"
#include "net/http_query.h"
#include "store/book_import.h"
#include "store/distribution_store.h"

namespace fieldflow::gateway {

namespace http = boost::beast::http;
using nlohmann::json;

namespace {

// A page shows this many bad rows; the count says how many there are.
constexpr std::size_t bad_rows_shown = 500;
constexpr std::size_t longest_file_name = 200;

// Names exactly one outcome of one file: the same bytes, read the same
// way, coming out with the same counts and the same bad rows.
std::string outcome_token(const store::ImportRequest& request, const store::ImportResult& result) {
    core::Sha256 hash;
    hash.update(core::name(request.kind)).update("\n").update(request.digest).update("\n");
    const auto& s = result.summary;
    for (auto count : {s.stored, s.unchanged, s.conflicting, s.late})
        hash.update(std::to_string(count) + "\n");
    for (const auto& e : result.bad) hash.update(std::to_string(e.line) + ":" + e.message + "\n");
    return core::hex(hash.finish());
}

json outcome_json(const store::ImportRequest& request, const std::string& encoding,
                  const store::ImportResult& result, const std::string& token, bool committed) {
    json bad = json::array();
    for (std::size_t i = 0; i < result.bad.size() && i < bad_rows_shown; ++i)
        bad.push_back({{"line", result.bad[i].line},
                       {"message", result.bad[i].message},
                       {"code", result.bad[i].code},
                       {"zh", result.bad[i].chinese.empty() ? result.bad[i].message
                                                            : result.bad[i].chinese}});
    json out{{"file", request.file},
             {"kind", core::name(request.kind)},
             {"encoding", encoding},
             {"prior", nullptr},
             {"stored", result.summary.stored},
             {"unchanged", result.summary.unchanged},
             {"conflicting", result.summary.conflicting},
             {"late", result.summary.late},
             {"bad_count", result.bad.size()},
             {"bad", bad},
             {"token", token},
             {"committed", committed}};
    if (result.prior)
        out["prior"] = {{"file", result.prior->file},
                        {"imported_at_ms", result.prior->imported_at_ms}};
    return out;
}

json adjustment_json(const store::FlowAdjustment& a) {
    return {{"flow_id", a.flow_id},     {"field", a.field},   {"old_value", a.old_value},
            {"new_value", a.new_value}, {"reason", a.reason}, {"by", a.by},
            {"at_ms", a.at_ms}};
}

json body_of(const HttpRequest& request) {
    json body = json::parse(request.body(), nullptr, false);
    return body.is_object() ? body : json::object();
}

std::string text_field(const json& body, const char* name) {
    auto found = body.find(name);
    return found != body.end() && found->is_string() ? found->get<std::string>() : std::string();
}

}  // namespace

std::optional<HttpResponse> BookActions::handle(const HttpRequest& request, std::string_view path,
                                                const store::ActiveSession& who) {
    if (!path.starts_with("/api/books/")) return std::nullopt;
    bool post = request.method() == http::verb::post;
    if (!post) {
        if (path == "/api/books/adjustments") return adjustments(request);
        if (path == "/api/books/periods") return periods(request);
        return json_error(request, http::status::not_found, "no API at " + std::string(path));
    }
    // The books are changed by those who answer for them, as records are settled.
    if (who.who.role == store::Role::viewer)
        return json_error(request, http::status::forbidden,
                          "operator " + who.who.name + " is a viewer and may not change the books");
    if (path == "/api/books/import/preview") return import(request, false, who.who.name);
    if (path == "/api/books/import/confirm") return import(request, true, who.who.name);
    if (path == "/api/books/flows/adjust") return adjust(request, who.who.name);
    if (path == "/api/books/periods/close") return period(request, true, who.who.name);
    if (path == "/api/books/periods/reopen") return period(request, false, who.who.name);
    return json_error(request, http::status::not_found, "no API at " + std::string(path));
}

HttpResponse BookActions::import(const HttpRequest& request, bool confirm, const std::string& by) {
    auto parameters = net::query_parameters({request.target().data(), request.target().size()});
    auto kind = core::import_kind_from_name(parameters["kind"]);
    if (!kind)
        return json_error(
            request, http::status::bad_request,
            "kind is shipments, flows, stock or opening, not \"" + parameters["kind"] + "\"");
    const std::string& name = parameters["name"];
    if (name.empty() || name.size() > longest_file_name || !core::valid_utf8(name))
        return json_error(
            request, http::status::bad_request,
            "name the file (1 to " + std::to_string(longest_file_name) + " bytes of UTF-8)");
    const std::string& bytes = request.body();
    if (bytes.empty())
        return json_error(request, http::status::bad_request,
                          name + " is empty: nothing to import");
    std::string encoding = parameters.count("encoding") ? parameters["encoding"] : "auto";
    if (encoding == "auto") encoding = std::string(core::guess_encoding(bytes));
    if (encoding != "utf-8" && encoding != "gbk")
        return json_error(request, http::status::bad_request,
                          "encoding is auto, utf-8 or gbk, not \"" + encoding + "\"");
    std::string text;
    try {
        text = encoding == "gbk" ? core::gbk_to_utf8(bytes) : bytes;
    } catch (const core::EncodingError& error) {
        return json_error(
            request, http::status::bad_request,
            name + ": not GBK text at byte " + std::to_string(error.offset) + "; nothing imported");
    }
    const std::string& token = parameters["token"];
    if (confirm && token.empty())
        return json_error(request, http::status::bad_request,
                          "confirm the token of a preview of this file");

    auto digest = core::sha256(std::as_bytes(std::span(bytes.data(), bytes.size())));
    store::ImportRequest what{*kind, name, store::import_digest(core::hex(digest), encoding), by};
    auto read = [&](const core::RowHandlers& handlers, std::vector<core::LoadError>& bad) {
        std::istringstream in(text);
        core::read_distribution_csv(*kind, in, name, handlers, bad);
    };
    store::DistributionStore books(db_);
    // Checked in the transaction that would commit: no other writer can
    // come in between the check and the commit.
    std::string outcome;  // the token of what the import came to
    auto as_previewed = [&](const store::ImportResult& now) {
        outcome = outcome_token(what, now);
        return outcome == token;
    };
    auto result = store::import_file(books, what, read, confirm, as_previewed);
    if (outcome.empty()) outcome = outcome_token(what, result);  // no check ran
    bool changed = confirm && !result.prior && outcome != token;
    bool committed = confirm && !result.prior && !changed;
    json out = outcome_json(what, encoding, result, outcome, committed);
    if (changed) {
        out["error"] = "the file or the books changed since the preview: check the new one";
        return json_reply(request, http::status::conflict, out);
    }
    if (committed)
        log_->info("books import by={:?} kind={} file={:?} stored={} unchanged={} bad={}", by,
                   core::name(*kind), name, result.summary.stored, result.summary.unchanged,
                   result.bad.size());
    return json_reply(request, http::status::ok, out);
}

HttpResponse BookActions::adjust(const HttpRequest& request, const std::string& by) {
    json body = body_of(request);
    std::string flow_id = text_field(body, "flow_id");
    if (flow_id.empty())
        return json_error(request, http::status::bad_request, "say which flow: {\"flow_id\": ...}");
    store::DistributionStore books(db_);
    try {
        auto a = books.adjust_flow(flow_id, text_field(body, "field"), text_field(body, "value"),
                                   text_field(body, "reason"), by);
        log_->info("books flow adjusted by={:?} flow={:?} field={} reason={:?}", by, a.flow_id,
                   a.field, a.reason);
        return json_reply(request, http::status::ok, adjustment_json(a));
    } catch (const std::invalid_argument& error) {
        return json_error(request, http::status::bad_request, error.what());
    }
}

HttpResponse BookActions::adjustments(const HttpRequest& request) {
    store::DistributionStore books(db_);
    json all = json::array();
    for (const auto& a : books.flow_adjustments()) all.push_back(adjustment_json(a));
    return json_reply(request, http::status::ok, {{"adjustments", all}});
}

HttpResponse BookActions::period(const HttpRequest& request, bool close, const std::string& by) {
    json body = body_of(request);
    std::string text = text_field(body, "period");
    auto month = core::parse_period(text);
    if (!month)
        return json_error(request, http::status::bad_request,
                          "period expects YYYY-MM, got \"" + text + "\"");
    std::string reason = text_field(body, "reason");
    if (!close && reason.empty())
        return json_error(request, http::status::bad_request, "a reopening needs a reason");
    store::DistributionStore books(db_);
    std::string label = core::format_period(*month);
    if (close ? !books.close_period(*month, by, reason) : !books.reopen_period(*month, reason, by))
        return json_error(request, http::status::conflict,
                          label + (close ? " was already closed" : " is not closed"));
    // The head as the close left it, for the operator to keep outside the
    // store (docs/operations.md, "The audit log"), as the CLI logs it.
    std::string head;
    if (auto h = books.audit_head()) head = store::format_head(*h);
    log_->info("books {} {} by={:?} reason={:?} head={}", label, close ? "closed" : "reopened", by,
               reason, head);
    return json_reply(
        request, http::status::ok,
        {{"period", label}, {"closed", close}, {"reason", reason}, {"audit_head", head}});
}

HttpResponse BookActions::periods(const HttpRequest& request) {
    store::DistributionStore books(db_);
    json log = json::array();
    std::map<std::string, bool> closed;
    for (const auto& e : books.period_log()) {
        log.push_back({{"period", e.period},
                       {"action", e.action},
                       {"reason", e.reason},
                       {"by", e.by},
                       {"at_ms", e.at_ms}});
        closed[e.period] = e.action == "close";
    }
    json now = json::array();
    for (const auto& [month, is_closed] : closed)
        if (is_closed) now.push_back(month);
    return json_reply(request, http::status::ok, {{"closed", now}, {"log", log}});
}

}  // namespace fieldflow::gateway
