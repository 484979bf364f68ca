#include "gateway/audit_pages.h"

#include <chrono>
#include <limits>

#include <nlohmann/json.hpp>

#include "core/calendar.h"
#include "core/digest.h"
#include "core/effectiveness.h"
#include "gateway/json_reply.h"
#include "net/http_query.h"
#include "store/audit_entries.h"

namespace fieldflow::gateway {

namespace http = boost::beast::http;
using nlohmann::json;

namespace {

constexpr std::int64_t most_per_page = 200;

json entry_json(const store::AuditEntry& e) {
    json out{{"id", e.id},
             {"at_ms", e.at_ms},
             {"actor", e.actor},
             {"action", e.action},
             {"kind", std::string(store::audit_kind_of(e.target))},
             {"target", e.target},
             {"row", e.row},
             {"rows", e.rows},
             {"detail", e.detail},
             {"subject", nullptr}};
    if (e.subject) out["subject"] = *e.subject;
    return out;
}

HttpResponse verify(const HttpRequest& request, store::GatewayStore& store) {
    auto started = std::chrono::steady_clock::now();
    auto report = store.audit().verify();
    auto head = store.audit().head();
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    json out{{"intact", !report.problem},
             {"entries", report.entries},
             {"head", head ? json(store::format_head(*head)) : json(nullptr)},
             {"took_ms", took.count()},
             {"problem", nullptr}};
    if (report.problem)
        out["problem"] = {{"entry", report.problem->entry}, {"what", report.problem->what}};
    return json_reply(request, http::status::ok, out);
}

}  // namespace

std::optional<HttpResponse> audit_page(const HttpRequest& request, std::string_view path,
                                       const store::Operator& who, store::GatewayStore& store) {
    if (path != "/api/audit" && path != "/api/audit/verify") return std::nullopt;
    if (request.method() != http::verb::get)
        return json_error(request, http::status::method_not_allowed, "read the audit log with GET");
    if (who.role != store::Role::admin)
        return json_error(
            request, http::status::forbidden,
            "operator " + who.name + " is not an admin and may not read the audit log");
    if (!who.territories.empty())
        return json_error(request, http::status::forbidden,
                          "operator " + who.name +
                              " is limited to some territories; the audit log is for admins of "
                              "every territory");
    if (path == "/api/audit/verify") return verify(request, store);

    auto parameters = net::query_parameters({request.target().data(), request.target().size()});
    auto bad = [&](const std::string& what) {
        return json_error(request, http::status::bad_request, what);
    };
    store::AuditFilter filter;
    if (auto kind = parameters["kind"]; !kind.empty()) {
        auto targets = store::audit_kind_targets(kind);
        if (!targets) return bad("kind " + kind + " is not a kind of audit entry");
        filter.targets = std::move(*targets);
    }
    filter.actor = parameters["actor"];
    for (const char* name : {"from", "to"}) {
        const std::string& text = parameters[name];
        if (text.empty()) continue;
        auto day = core::parse_date(text);
        if (!day) return bad(std::string(name) + " " + text + " is not a date (YYYY-MM-DD)");
        if (name == std::string_view("from"))
            filter.from_ms = core::china_day_start_ms(*day);
        else
            filter.until_ms = core::china_day_start_ms(*day + 1);
    }
    if (auto before = parameters["before"]; !before.empty()) {
        filter.before = net::whole_number(before, std::numeric_limits<std::int64_t>::min(),
                                          std::numeric_limits<std::int64_t>::max());
        if (!filter.before) return bad("before " + before + " is not an entry's id");
    }
    if (auto limit = parameters["limit"]; !limit.empty()) {
        auto n = net::whole_number(limit, 1, most_per_page);
        if (!n)
            return bad("limit " + limit + " is not a number from 1 to " +
                       std::to_string(most_per_page));
        filter.limit = static_cast<std::size_t>(*n);
    }
    // One more than asked tells whether an older page follows.
    std::size_t asked = filter.limit;
    ++filter.limit;
    auto entries = store::audit_entries(store.db(), filter);
    json out{{"entries", json::array()}, {"more", entries.size() > asked}};
    if (entries.size() > asked) entries.pop_back();
    for (const auto& e : entries) out["entries"].push_back(entry_json(e));
    return json_reply(request, http::status::ok, out);
}

}  // namespace fieldflow::gateway
