#include "gateway/json_reply.h"
#include "gateway/device_routes.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/enrolment_uri.h"
#include "gateway/agent_ca.h"
#include "gateway/enrolment_qr.h"
#include "net/http_query.h"
#include "schemas/payload_json.h"
#include "store/device_enrolment.h"
#include "store/device_history.h"

namespace fieldflow::gateway {

namespace http = boost::beast::http;
using nlohmann::json;

namespace {

constexpr std::string_view prefix = "/api/devices";

bool wildcard(const std::string& host) {
    return host.empty() || host == "0.0.0.0" || host == "::" || host == "[::]";
}

}  // namespace

std::optional<HttpResponse> DeviceRoutes::handle(const HttpRequest& request,
                                                 const store::ActiveSession& who,
                                                 std::string_view path) {
    if (path != prefix && path.rfind(std::string(prefix) + "/", 0) != 0) return std::nullopt;
    bool post = request.method() == http::verb::post;
    core::TerritoryScope scope(who.who.territories);
    if (path == prefix) return post ? enrol(request, who) : list(request, scope);
    std::string rest(path.substr(prefix.size() + 1));
    constexpr std::string_view revoke_suffix = "/revoke";
    if (post && rest.ends_with(revoke_suffix))
        return revoke(request, who, rest.substr(0, rest.size() - revoke_suffix.size()));
    if (!post && rest.find('/') == std::string::npos) return page(request, scope, rest);
    return json_error(request, http::status::not_found, "no API at " + std::string(path));
}

json DeviceRoutes::devices_json(const core::TerritoryScope& scope) {
    struct Row {
        std::optional<store::Credential> credential;
        std::optional<store::DeviceHello> hello;
        bool connected = false;
    };
    std::map<std::string, Row> rows;
    for (auto& c : store_.credentials()) rows[c.device].credential = std::move(c);
    for (auto& h : store_.devices()) rows[h.device].hello = std::move(h);
    // The store has the hellos of every run; the metrics know which
    // connections are open now, and, for the devices of this run, the
    // backlog as acks have brought it down since the hello.
    for (const auto& d : metrics_.snapshot().devices) {
        auto& row = rows[d.device];
        row.connected = d.connected;
        std::int64_t seen = std::int64_t(d.last_seen_s * 1000);
        if (row.hello) seen = std::max(seen, row.hello->seen_at_ms);
        row.hello = store::DeviceHello{d.device, d.rep, d.agent_version,
                                       static_cast<std::uint64_t>(d.outbox), seen};
    }
    auto now = core::unix_now_ms();
    auto master = master_.now();
    json out = json::array();
    for (const auto& [device, row] : rows) {
        const std::string& rep = row.credential ? row.credential->rep : row.hello->rep;
        if (!scope.rep(master->data, rep)) continue;
        json d{{"device", device},          {"rep", rep},
               {"enrolled_at_ms", nullptr}, {"revoked_at_ms", nullptr},
               {"last_seen_ms", nullptr},   {"agent_version", nullptr},
               {"outbox", nullptr},         {"connected", row.connected}};
        if (row.credential) {
            d["enrolled_at_ms"] = row.credential->enrolled_at_ms;
            if (row.credential->revoked_at_ms) d["revoked_at_ms"] = *row.credential->revoked_at_ms;
        }
        std::string state = "never";
        if (row.hello) {
            d["last_seen_ms"] = row.hello->seen_at_ms;
            d["agent_version"] = row.hello->agent_version;
            d["outbox"] = row.hello->outbox_depth;
            // Online only while a connection is open, as on the dashboard.
            state =
                overview_.device_state(row.connected, double(now - row.hello->seen_at_ms) / 1000);
        }
        d["state"] = state;
        out.push_back(std::move(d));
    }
    return out;
}

HttpResponse DeviceRoutes::list(const HttpRequest& request, const core::TerritoryScope& scope) {
    return json_reply(request, http::status::ok,
                      {{"devices", devices_json(scope)}, {"silent_hours", overview_.silent_hours}});
}

std::string DeviceRoutes::agent_address(const HttpRequest& request) const {
    std::string host = agents_.host;
    if (wildcard(host)) {
        auto given = request[http::field::host];
        std::string_view named(given.data(), given.size());
        // "name:port" or "[v6]:port": the port is the console's, not the agents'.
        auto colon = named.rfind(':');
        if (colon != std::string_view::npos && named.find(']', colon) == std::string_view::npos)
            named = named.substr(0, colon);
        host = named;
    } else if (host.find(':') != std::string::npos) {
        host = "[" + host + "]";
    }
    return host + ":" + std::to_string(agents_.port);
}

HttpResponse DeviceRoutes::enrol(const HttpRequest& request, const store::ActiveSession& who) {
    if (who.who.role != store::Role::admin)
        return json_error(
            request, http::status::forbidden,
            "operator " + who.who.name + " is not an admin and may not enrol devices");
    json body = json::parse(request.body(), nullptr, false);
    if (!body.is_object() || !body.contains("device") || !body["device"].is_string() ||
        !body.contains("rep") || !body["rep"].is_string())
        return json_error(request, http::status::bad_request,
                          "expected {\"device\": ..., \"rep\": ...}");
    std::string device = body["device"];
    std::string rep = body["rep"];
    // Read before a credential is issued: an enrolment whose handheld
    // would not trust this gateway is worth nothing.
    std::string ca;
    if (!agents_.ca_file.empty()) {
        try {
            ca = agent_ca_der(agents_.ca_file);
        } catch (const std::runtime_error& e) {
            return json_error(request, http::status::internal_server_error, e.what());
        }
    }
    auto master = master_.now();
    if (!core::TerritoryScope(who.who.territories).rep(master->data, rep))
        return json_error(request, http::status::bad_request,
                          "rep " + rep + " is in none of the territories of " + who.who.name);
    auto enrolment =
        store::enroll_device(store_, device, rep, &master->data, who.who.name, core::unix_now_ms());
    if (!enrolment.credential)
        return json_error(request, http::status::bad_request, enrolment.problem);
    std::string gateway = agent_address(request);
    std::string uri = core::enrolment_uri({gateway, device, rep, *enrolment.credential, ca});
    auto modules = qr_modules(uri);
    auto response = json_reply(request, http::status::ok,
                               {{"device", device},
                                {"rep", rep},
                                {"gateway", gateway},
                                {"credential", *enrolment.credential},
                                {"uri", uri},
                                {"qr_svg", modules ? qr_svg(*modules) : std::string()}});
    // Shown once: no cache between the gateway and the browser may keep it.
    response.set(http::field::cache_control, "no-store");
    return response;
}

HttpResponse DeviceRoutes::revoke(const HttpRequest& request, const store::ActiveSession& who,
                                  const std::string& device) {
    if (who.who.role != store::Role::admin)
        return json_error(
            request, http::status::forbidden,
            "operator " + who.who.name + " is not an admin and may not revoke devices");
    json body = json::parse(request.body(), nullptr, false);
    std::string reason = body.is_object() && body.contains("reason") && body["reason"].is_string()
                             ? body["reason"].get<std::string>()
                             : std::string();
    core::TerritoryScope scope(who.who.territories);
    if (!scope.everything()) {
        bool seen = false;
        for (const auto& d : devices_json(scope)) seen = seen || d["device"] == device;
        if (!seen) return json_error(request, http::status::not_found, "no device " + device);
    }
    switch (store::revoke_device(store_, device, who.who.name, reason, core::unix_now_ms())) {
        case store::Revocation::done:
            break;
        case store::Revocation::no_reason:
            return json_error(request, http::status::bad_request,
                              "expected {\"reason\": ...}: a revocation needs a reason");
        case store::Revocation::not_enrolled:
            return json_error(request, http::status::conflict,
                              "device " + device + " is not enrolled, or already revoked");
    }
    return json_reply(request, http::status::ok, {{"device", device}, {"revoked", true}});
}

HttpResponse DeviceRoutes::page(const HttpRequest& request, const core::TerritoryScope& scope,
                                const std::string& device) {
    auto parameters = net::query_parameters({request.target().data(), request.target().size()});
    int tz = 0;
    if (auto given = parameters.find("tz"); given != parameters.end()) {
        auto minutes = net::utc_offset_minutes(given->second);
        if (!minutes)
            return json_error(request, http::status::bad_request,
                              "tz expects minutes east of UTC, -840 to 840");
        tz = *minutes;
    }
    json summary;
    for (auto& d : devices_json(scope))
        if (d["device"] == device) summary = std::move(d);
    if (summary.is_null())
        return json_error(request, http::status::not_found, "no device " + device);

    constexpr std::int64_t days_shown = 30;
    // Whole days, up to the day of the device's latest record.
    auto history =
        store::device_history(store_.db(), device, (days_shown - 1) * 86'400'000, tz, 10, 200, 500);
    json days = json::array();
    for (const auto& d : history.days)
        days.push_back({{"day", core::format_date(static_cast<core::Day>(d.day))},
                        {"accepted", d.accepted},
                        {"flagged", d.flagged}});
    json uploads = json::array();
    for (const auto& u : history.uploads)
        uploads.push_back({{"received_at_ms", u.received_at_ms}, {"records", u.records}});
    json fixes = json::array(), skews = json::array();
    for (const auto& r : history.latest) {
        auto envelope = wire::envelope_json(r.raw);
        if (!envelope) continue;
        if (envelope->clock_skew_ms)
            skews.push_back(
                {{"captured_at_ms", r.captured_at_ms}, {"skew_ms", *envelope->clock_skew_ms}});
        json payload = json::parse(envelope->payload, nullptr, false);
        if (payload.is_object() && payload.contains("accuracyM") &&
            payload["accuracyM"].is_number())
            fixes.push_back({{"captured_at_ms", r.captured_at_ms},
                             {"kind", r.kind},
                             {"accuracy_m", payload["accuracyM"]}});
    }
    json refusals = json::array();
    for (const auto& r : history.refusals)
        refusals.push_back(
            {{"at_ms", r.at_ms}, {"peer", r.peer}, {"event", r.event}, {"detail", r.detail}});
    summary["days"] = days;
    summary["days_shown"] = days_shown;
    summary["uploads"] = uploads;
    summary["fixes"] = fixes;
    summary["clock_skews"] = skews;
    summary["refusals"] = refusals;
    json backlog = json::array();
    for (const auto& b : history.backlog)
        backlog.push_back({{"at_ms", b.at_ms}, {"outbox", b.depth}});
    summary["backlog"] = backlog;
    return json_reply(request, http::status::ok, summary);
}

}  // namespace fieldflow::gateway
