#include "gateway/overview.h"

#include <algorithm>
#include <map>

#include "core/reason.h"

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
}

json Overview::now(std::int64_t now_ms) {
    refresh_store_facts(now_ms);
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
    std::vector<const core::Distributor*> distributors;
    auto master = master_.now();  // the distributors point into it
    for (const auto& [id, distributor] : master->data.distributors)
        distributors.push_back(&distributor);
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
        {"open_reviews", open_reviews_}};
}

}  // namespace fieldflow::gateway
