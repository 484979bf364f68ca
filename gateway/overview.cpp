#include "gateway/overview.h"

#include <algorithm>
#include <map>

#include "core/reason.h"
#include "schemas/payload_json.h"

namespace fieldflow::gateway {

using nlohmann::json;

json reason_names() {
    json out = json::array();
    for (auto code : core::all_reason_codes)
        out.push_back({{"code", core::name(code)},
                       {"zh", core::chinese_name(code)},
                       {"severity", core::name(core::severity(code))}});
    return out;
}

Overview::Overview(const Metrics& metrics, store::GatewayStore& store, const MasterInForce& master,
                   OverviewOptions options)
    : metrics_(metrics), store_(store), master_(master), options_(options) {}

void Overview::tick(std::int64_t now_ms) {
    history_.sample(metrics_.snapshot(), now_ms);
}

void Overview::refresh_store_facts(std::int64_t now_ms) {
    if (now_ms - facts_read_at_ms_ < 30'000 && data_version_ >= 0) return;
    facts_read_at_ms_ = now_ms;
    // This moves when another connection (the committer, an import)
    // committed since this one last looked.
    auto version = store_.db().others_commits();
    if (version == data_version_) return;
    data_version_ = version;
    arrivals_ = store::flow_arrivals(store_.db());
    open_reviews_ = store_.db().query_int64(
        "SELECT count(*) FROM records r WHERE verdict = 'flagged' AND "
        "NOT EXISTS (SELECT 1 FROM reviews v WHERE v.record_id = r.id)");
    if (!placing_open_reviews_) return;
    open_review_places_.clear();
    store::ReviewFilter filter;
    constexpr std::size_t page = 500;
    for (;;) {
        auto open = store_.reviews().flagged(filter, page);
        for (const auto& r : open) {
            std::string terminal;
            if (auto envelope = wire::envelope_json(r.raw)) {
                auto payload = json::parse(envelope->payload, nullptr, false);
                if (payload.is_object() && payload.contains("terminal") &&
                    payload["terminal"].is_string())
                    terminal = payload["terminal"];
            }
            open_review_places_.emplace_back(std::move(terminal), r.rep);
        }
        if (open.size() < page) break;
        filter.before_id = open.back().id;
    }
}

json Overview::now(std::int64_t now_ms, const core::TerritoryScope& scope) {
    if (!scope.everything() && !placing_open_reviews_) {
        placing_open_reviews_ = true;
        data_version_ = -2;  // read the places now, not in half a minute
    }
    refresh_store_facts(now_ms);
    auto master = master_.now();
    auto snapshot = metrics_.snapshot();

    json totals = json::object();
    for (const char* verdict : {"accepted", "flagged", "rejected"})
        totals[verdict] = snapshot.by_verdict[verdict];
    totals["duplicate"] = snapshot.duplicates;

    std::vector<std::pair<std::string, double>> reasons(snapshot.by_reason.begin(),
                                                        snapshot.by_reason.end());
    std::sort(reasons.begin(), reasons.end(),
              [](const auto& a, const auto& b) { return a.second > b.second; });
    if (reasons.size() > 8) reasons.resize(8);
    json top = json::array();
    for (const auto& [code, count] : reasons) top.push_back({{"code", code}, {"count", count}});

    const double now_s = double(now_ms) / 1000;
    json devices = json::array();
    std::map<std::string, int> states;
    for (const auto& d : snapshot.devices) {
        if (!scope.rep(master->data, d.rep)) continue;
        const char* state = options_.device_state(d.connected, now_s - d.last_seen_s);
        ++states[state];
        devices.push_back({{"device", d.device},
                           {"rep", d.rep},
                           {"agent_version", d.agent_version},
                           {"last_seen_ms", std::int64_t(d.last_seen_s * 1000)},
                           {"outbox", d.outbox},
                           {"connected", d.connected},
                           {"state", state}});
    }

    std::map<std::string, std::int64_t> arrived;
    for (const auto& a : arrivals_) arrived[a.distributor] = a.imported_at_ms;
    std::vector<const core::Distributor*> distributors;  // into `master`
    for (const auto& [id, distributor] : master->data.distributors)
        if (scope.distributor(master->data, id)) distributors.push_back(&distributor);
    std::sort(distributors.begin(), distributors.end(),
              [](auto* a, auto* b) { return a->id < b->id; });
    json late = json::array();
    for (const auto* d : distributors) {
        const auto& distributor = *d;
        auto found = arrived.find(distributor.id);
        double days = found == arrived.end() ? -1 : double(now_ms - found->second) / 86'400'000;
        if (found != arrived.end() && days < options_.flow_late_days) continue;
        late.push_back(
            {{"distributor", distributor.id},
             {"name", distributor.name},
             {"last_arrival_ms", found == arrived.end() ? json(nullptr) : json(found->second)},
             {"days", found == arrived.end() ? json(nullptr) : json(int(days))}});
    }

    std::int64_t open_reviews = open_reviews_;
    if (!scope.everything())
        open_reviews = std::count_if(
            open_review_places_.begin(), open_review_places_.end(), [&](const auto& place) {
                return scope.record(master->data, place.first, place.second);
            });
    return {
        {"now_ms", now_ms},
        {"totals", totals},
        {"top_reasons", top},
        {"chart", history_.chart()},
        {"connections_open", snapshot.connections_open},
        {"devices", devices},
        {"device_states",
         {{"online", states["online"]}, {"idle", states["idle"]}, {"silent", states["silent"]}}},
        {"late_distributors", late},
        {"flow_late_days", options_.flow_late_days},
        {"silent_hours", options_.silent_hours},
        {"open_reviews", open_reviews}};
}

}  // namespace fieldflow::gateway
