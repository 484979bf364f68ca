#include "gateway/json_reply.h"
#include "gateway/operator_api.h"

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>

#include <limits>

#include "core/clock.h"
#include "core/reason_detail.h"
#include "core/territory_scope.h"
#include "net/http_query.h"
#include "gateway/audit_pages.h"
#include "gateway/master_pages.h"
#include "gateway/scoped_pages.h"
#include "schemas/payload_json.h"

namespace fieldflow::gateway {

namespace http = boost::beast::http;
using nlohmann::json;

namespace {

constexpr std::string_view session_cookie = "ff_session";

std::string_view header(const HttpRequest& request, http::field field) {
    auto value = request[field];
    return {value.data(), value.size()};
}

std::string_view header(const HttpRequest& request, std::string_view name) {
    auto value = request[boost::beast::string_view(name.data(), name.size())];
    return {value.data(), value.size()};
}

bool json_body(const HttpRequest& request) {
    return header(request, http::field::content_type).rfind("application/json", 0) == 0;
}

// A browser sends Origin with every cross-site POST: when there is one, its
// host must be the one the request was sent to.
bool same_origin(const HttpRequest& request) {
    std::string_view origin = header(request, http::field::origin);
    if (origin.empty()) return true;
    auto scheme_end = origin.find("://");
    if (scheme_end == std::string_view::npos) return false;
    return origin.substr(scheme_end + 3) == header(request, http::field::host);
}

std::optional<std::int64_t> record_id(std::string_view text) {
    return net::whole_number(text, 1, std::numeric_limits<std::int64_t>::max());
}

json reasons_json(const std::vector<core::Reason>& reasons) {
    json out = json::array();
    for (const auto& r : reasons) {
        json reason{{"code", core::name(r.code)}, {"detail", r.detail}};
        if (auto chinese = core::chinese_detail(r.detail)) reason["detail_zh"] = *chinese;
        out.push_back(reason);
    }
    return out;
}

json record_json(const store::FlaggedRecord& r, const json& payload) {
    json out{{"id", r.id},
             {"device", r.device},
             {"seq", r.seq},
             {"rep", r.rep},
             {"kind", r.kind},
             {"captured_at_ms", r.captured_at_ms},
             {"received_at_ms", r.received_at_ms},
             {"reasons", reasons_json(r.reasons)},
             {"payload", payload},
             {"review", nullptr}};
    if (r.review)
        out["review"] = {{"decision", store::name(r.review->decision)},
                         {"comment", r.review->comment},
                         {"by", r.review->by},
                         {"at_ms", r.review->at_ms}};
    return out;
}

json payload_of(const store::FlaggedRecord& r) {
    auto envelope = wire::envelope_json(r.raw);
    if (!envelope) return nullptr;
    return json::parse(envelope->payload, nullptr, false);
}

std::string terminal_of(const json& payload) {
    if (!payload.is_object()) return {};
    auto terminal = payload.find("terminal");
    return terminal != payload.end() && terminal->is_string() ? terminal->get<std::string>()
                                                              : std::string();
}

}  // namespace

bool OperatorApi::in_scope(const store::Operator& who, const store::FlaggedRecord& r) const {
    core::TerritoryScope scope(who.territories);
    if (scope.everything()) return true;
    return scope.record(master_.now()->data, terminal_of(payload_of(r)), r.rep);
}

json OperatorApi::opens(const store::Operator& who) const {
    return {{"location", personal_data_.location.contains(who.role)},
            {"photos", personal_data_.photos.contains(who.role)}};
}

std::optional<store::ActiveSession> OperatorApi::session_of(const HttpRequest& request) {
    auto token = net::cookie_value(header(request, http::field::cookie), session_cookie);
    if (!token) return std::nullopt;
    return store_.operators().session(*token, core::unix_now_ms());
}

std::optional<HttpAnswer> OperatorApi::handle(const HttpRequest& request, const std::string& peer) {
    std::string_view target(request.target().data(), request.target().size());
    std::string_view path = target.substr(0, target.find('?'));
    if (path.rfind("/api/", 0) != 0) return std::nullopt;
    bool post = request.method() == http::verb::post;
    if (!post && request.method() != http::verb::get)
        return json_error(request, http::status::method_not_allowed, "use GET or POST");
    if (post && !json_body(request) && !path.starts_with(BookActions::upload_prefix))
        return json_error(request, http::status::unsupported_media_type, "send application/json");

    if (path == "/api/login") {
        if (!post) return json_error(request, http::status::method_not_allowed, "log in with POST");
        return login(request, peer);
    }
    auto who = session_of(request);
    // The page asks this first to learn whether to show the login form.
    if (path == "/api/me" && !post && !who)
        return json_reply(request, http::status::ok, {{"operator", nullptr}});
    if (!who) return json_error(request, http::status::unauthorized, "log in first");
    if (post) {
        std::string_view offered = header(request, "X-CSRF-Token");
        if (offered.size() != who->csrf.size() ||
            CRYPTO_memcmp(offered.data(), who->csrf.data(), offered.size()) != 0 ||
            !same_origin(request))
            return json_error(request, http::status::forbidden,
                              "missing or wrong X-CSRF-Token: reload the page");
    }
    if (path == "/api/me" && !post)
        return json_reply(request, http::status::ok,
                          {{"operator", who->who.name},
                           {"role", store::name(who->who.role)},
                           {"territories", who->who.territories},
                           {"opens", opens(who->who)},
                           {"csrf", who->csrf}});
    if (path == "/api/logout" && post) {
        if (auto token = net::cookie_value(header(request, http::field::cookie), session_cookie))
            store_.operators().close_session(*token);
        auto response = json_reply(request, http::status::ok, {{"logged_out", true}});
        response.set(
            http::field::set_cookie,
            std::string(session_cookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
        return response;
    }
    // Imports, adjustments and closes work on the books of every territory at once.
    if (path.starts_with("/api/books/") && !who->who.territories.empty())
        return json_error(request, http::status::forbidden,
                          "operator " + who->who.name +
                              " is limited to some territories; the books are for operators "
                              "of every territory");
    if (auto books = actions_.handle(request, path, *who)) return std::move(*books);
    if (auto devices = devices_.handle(request, *who, path)) return std::move(*devices);
    if (auto audit = audit_page(request, path, who->who, store_)) return std::move(*audit);
    if (path == "/api/master" && !post)
        return json_reply(request, http::status::ok, master_versions(store_));
    if (path == "/api/reasons" && !post)
        return json_reply(request, http::status::ok, reason_names());
    if (path == "/api/review" && !post) return review_list(request, who->who);
    if (path.rfind("/api/photos/", 0) == 0 && !post)
        return photo(request, who->who, path.substr(12));
    if (path == "/api/overview" && !post)
        return json_reply(
            request, http::status::ok,
            overview_.now(core::unix_now_ms(), core::TerritoryScope(who->who.territories)));
    if (path == "/api/live" && !post) return live(request);
    if ((path == "/api/ledger" || path == "/api/effectiveness") && !post)
        return distribution(request, who->who, path);
    if (path.rfind("/api/review/", 0) == 0 && path.ends_with("/map") && !post)
        return checkin_map(request, *who, path.substr(12, path.size() - 12 - 4));
    if (path.rfind("/api/review/", 0) == 0 && post) {
        auto id = record_id(path.substr(12));
        if (!id)
            return json_error(request, http::status::not_found,
                              "no record " + std::string(path.substr(12)));
        return decide(request, *who, *id);
    }
    return json_error(request, http::status::not_found, "no API at " + std::string(path));
}

HttpResponse OperatorApi::distribution(const HttpRequest& request, const store::Operator& who,
                                       std::string_view page) {
    core::TerritoryScope scope(who.territories);
    auto parameters = net::query_parameters({request.target().data(), request.target().size()});
    auto period = core::parse_period(parameters["period"]);
    if (!period)
        return json_error(request, http::status::bad_request,
                          "period expects YYYY-MM, got \"" + parameters["period"] + "\"");
    if (page == "/api/ledger")
        return json_reply(request, http::status::ok,
                          scoped_ledger(books_.ledger(*period), scope, master_.now()->data));
    core::VisitTargets targets;
    for (auto [name, target] : {std::pair{"a", &targets.a}, {"b", &targets.b}, {"c", &targets.c}}) {
        auto given = parameters.find(name);
        if (given == parameters.end()) continue;
        auto value = net::whole_number(given->second, 0, 100);
        if (!value)
            return json_error(request, http::status::bad_request,
                              std::string(name) + " expects visits a month, 0 to 100");
        *target = static_cast<unsigned>(*value);
    }
    return json_reply(
        request, http::status::ok,
        scoped_effectiveness(books_.effectiveness(*period, targets), scope, master_.now()->data));
}

HttpAnswer OperatorApi::live(const HttpRequest& request) {
    HttpAnswer answer(http_response(request, http::status::ok, "text/event-stream", {}));
    auto token =
        net::cookie_value(header(request, http::field::cookie), session_cookie).value_or("");
    // Checked at every event: a logout or a removed operator ends the stream.
    answer.events = [this, token]() -> std::optional<std::string> {
        auto now = core::unix_now_ms();
        auto session = store_.operators().session(token, now);
        if (!session) return std::nullopt;
        return overview_.now(now, core::TerritoryScope(session->who.territories)).dump();
    };
    return answer;
}

HttpAnswer OperatorApi::login(const HttpRequest& request, const std::string& peer) {
    if (!same_origin(request))
        return json_error(request, http::status::forbidden, "a login from another site");
    json body = json::parse(request.body(), nullptr, false);
    if (!body.is_object() || !body.contains("name") || !body["name"].is_string() ||
        !body.contains("password") || !body["password"].is_string())
        return json_error(request, http::status::bad_request,
                          "expected {\"name\": ..., \"password\": ...}");
    std::string name = body["name"];
    // Names are short; a long one would only fill the log and the audit.
    constexpr std::size_t longest_name = 128;
    if (name.empty() || name.size() > longest_name)
        return json_error(request, http::status::bad_request,
                          "an operator's name is 1 to " + std::to_string(longest_name) + " bytes");
    // What the reply needs of the request, which is gone by then.
    HttpRequest head;
    head.version(request.version());
    auto proto = header(request, "X-Forwarded-Proto");
    head.set("X-Forwarded-Proto", boost::beast::string_view(proto.data(), proto.size()));
    return HttpAnswer::deferred([this, head = std::move(head), name, peer,
                                 password = body["password"].get<std::string>()](
                                    const HttpReply& reply) mutable {
        logins_.attempt(name, std::move(password), peer, [this, head, reply](LoginVerdict verdict) {
            switch (verdict.result) {
                case LoginVerdict::Result::ok:
                    try {
                        return reply(logged_in(head, *verdict.who));
                    } catch (const std::exception& e) {
                        log_->error("login failed operator={:?} error={:?}", verdict.who->name,
                                    e.what());
                        return reply(json_error(head, http::status::internal_server_error,
                                                "the session could not be stored"));
                    }
                case LoginVerdict::Result::wrong:
                    return reply(
                        json_error(head, http::status::unauthorized, "wrong name or password"));
                case LoginVerdict::Result::locked_out: {
                    auto response =
                        json_error(head, http::status::too_many_requests,
                                   "too many failed logins: try again in " +
                                       std::to_string(verdict.retry_after.count()) + " s");
                    response.set(http::field::retry_after,
                                 std::to_string(verdict.retry_after.count()));
                    return reply(std::move(response));
                }
                case LoginVerdict::Result::busy: {
                    auto response = json_error(head, http::status::service_unavailable,
                                               "too many logins at once: try again in a moment");
                    response.set(http::field::retry_after,
                                 std::to_string(verdict.retry_after.count()));
                    return reply(std::move(response));
                }
            }
        });
    });
}

HttpResponse OperatorApi::logged_in(const HttpRequest& request, const store::Operator& who) {
    auto session = store_.operators().open_session(who, core::unix_now_ms());
    auto response = json_reply(request, http::status::ok,
                               {{"operator", who.name},
                                {"role", store::name(who.role)},
                                {"territories", who.territories},
                                {"opens", opens(who)},
                                {"csrf", session.csrf}});
    // Behind the TLS proxy that off-loopback access requires, the cookie
    // must never travel in clear.
    bool over_tls = header(request, "X-Forwarded-Proto") == "https";
    response.set(http::field::set_cookie,
                 std::string(session_cookie) + "=" + session.token +
                     "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                     std::to_string((session.expires_at_ms - core::unix_now_ms()) / 1000) +
                     (over_tls ? "; Secure" : ""));
    return response;
}

HttpResponse OperatorApi::review_list(const HttpRequest& request, const store::Operator& who) {
    auto parameters = net::query_parameters({request.target().data(), request.target().size()});
    store::ReviewFilter filter;
    if (auto state = parameters.find("state"); state != parameters.end()) {
        if (state->second == "open")
            filter.state = store::ReviewFilter::State::open;
        else if (state->second == "decided")
            filter.state = store::ReviewFilter::State::decided;
        else if (state->second == "all")
            filter.state = store::ReviewFilter::State::all;
        else
            return json_error(request, http::status::bad_request,
                              "state is open, decided or all, not \"" + state->second + "\"");
    }
    filter.reason = parameters["reason"];
    filter.rep = parameters["rep"];
    filter.device = parameters["device"];
    if (auto before = parameters.find("before"); before != parameters.end()) {
        auto id = record_id(before->second);
        if (!id)
            return json_error(request, http::status::bad_request, "before expects a record id");
        filter.before_id = *id;
    }
    const std::string& terminal = parameters["terminal"];
    constexpr std::size_t page = 100;
    auto rows = store_.reviews().flagged(filter, page);
    core::TerritoryScope scope(who.territories);
    auto master = master_.now();
    json records = json::array();
    for (const auto& row : rows) {
        json payload = payload_of(row);
        // The terminal is inside the payload, which SQL does not see; so is
        // the territory, through it. A page may come short, even empty,
        // with a next one still to ask for.
        if (!terminal.empty() && terminal_of(payload) != terminal) continue;
        if (!scope.record(master->data, terminal_of(payload), row.rep)) continue;
        records.push_back(
            record_json(row, payload_without_fix(std::move(payload), master->data, row)));
        with_photo(records.back(), who);
    }
    json out{{"records", records}, {"next_before", nullptr}};
    if (rows.size() == page) out["next_before"] = rows.back().id;
    return json_reply(request, http::status::ok, out);
}

HttpResponse OperatorApi::checkin_map(const HttpRequest& request, const store::ActiveSession& who,
                                      std::string_view id) {
    if (!personal_data_.location.contains(who.who.role))
        return json_error(request, http::status::forbidden,
                          "operator " + who.who.name + " is a " +
                              std::string(store::name(who.who.role)) +
                              " and may not see where reps stood");
    auto record = record_id(id);
    auto flagged = record ? store_.reviews().find(*record) : std::nullopt;
    auto map = flagged && in_scope(who.who, *flagged)
                   ? maps_.of(*record, core::TerritoryScope(who.who.territories))
                   : std::nullopt;
    if (!map)
        return json_error(request, http::status::not_found,
                          "record " + std::string(id) + " is not a flagged check-in");
    if (auto refused =
            opened(request, who.who, "exact location opened", *record,
                   "check-in " + std::to_string(*record) + " of " + flagged->rep + " with " +
                       std::to_string((*map)["path"].size()) + " check-ins of the day"))
        return std::move(*refused);
    return json_reply(request, http::status::ok, *map);
}

std::optional<HttpResponse> OperatorApi::opened(const HttpRequest& request,
                                                const store::Operator& who, std::string_view what,
                                                std::int64_t record, const std::string& detail) {
    try {
        audit_opened(store_, who.name, what, record, detail);
        return std::nullopt;
    } catch (const std::exception& e) {
        // No audit entry, no data: an opening the log cannot tell of is refused.
        log_->error("audit entry not written action={:?} operator={:?} detail={:?} error={:?}",
                    what, who.name, detail, e.what());
        auto response = json_error(request, http::status::service_unavailable,
                                   "the opening could not be audited: try again in a moment");
        response.set(http::field::cache_control, "no-store");
        return response;
    }
}

HttpResponse OperatorApi::decide(const HttpRequest& request, const store::ActiveSession& who,
                                 std::int64_t record) {
    if (who.who.role == store::Role::viewer)
        return json_error(request, http::status::forbidden,
                          "operator " + who.who.name + " is a viewer and may not settle records");
    json body = json::parse(request.body(), nullptr, false);
    auto decision = body.is_object() && body.contains("decision") && body["decision"].is_string()
                        ? store::decision_named(body["decision"].get<std::string>())
                        : std::nullopt;
    if (!decision)
        return json_error(request, http::status::bad_request,
                          "expected {\"decision\": \"approve\" or \"reject\", \"comment\": ...}");
    std::string comment = body.value("comment", std::string());
    if (comment.empty())
        return json_error(request, http::status::bad_request, "a decision needs a comment");
    auto reviews = store_.reviews();
    auto found = reviews.find(record);
    if (found && !in_scope(who.who, *found))
        return json_error(request, http::status::not_found,
                          "record " + std::to_string(record) + " is not a flagged record");
    switch (reviews.decide(record, *decision, comment, who.who.name, core::unix_now_ms())) {
        case store::ReviewQueue::Decided::done:
            break;
        case store::ReviewQueue::Decided::not_flagged:
            return json_error(request, http::status::not_found,
                              "record " + std::to_string(record) + " is not a flagged record");
        case store::ReviewQueue::Decided::already_decided:
            return json_error(request, http::status::conflict,
                              "record " + std::to_string(record) + " was settled already");
    }
    auto settled = reviews.find(record);
    return json_reply(request, http::status::ok,
                      record_json(*settled, payload_without_fix(payload_of(*settled),
                                                                master_.now()->data, *settled)));
}

}  // namespace fieldflow::gateway
