#include "core/plan_rules.h"

#include <algorithm>
#include <cstdio>
#include <tuple>
#include <set>

#include "core/geo.h"

namespace fieldflow::core {

DayPlans day_plans(const std::vector<PlannedVisit>& visits) {
    auto sorted = visits;
    std::sort(sorted.begin(), sorted.end(), [](const PlannedVisit& x, const PlannedVisit& y) {
        return std::tie(x.rep, x.day, x.order) < std::tie(y.rep, y.day, y.order);
    });
    DayPlans plans;
    for (const auto& v : sorted) plans[{v.rep, v.day}].push_back(v.terminal);
    return plans;
}

std::optional<Reason> on_plan(const Record& record, const DayPlans& plans,
                              const MasterData& master) {
    const auto* in = std::get_if<CheckIn>(&record.payload);
    if (!in) return std::nullopt;
    Day day = china_day(record.captured_at_ms);
    auto plan = plans.find({record.rep, day});
    if (plan == plans.end() || plan->second.empty()) return std::nullopt;
    const auto& planned = plan->second;
    if (std::find(planned.begin(), planned.end(), in->terminal) != planned.end())
        return std::nullopt;
    std::string detail = "terminal " + in->terminal + " is not in rep " + record.rep +
                         "'s plan for " + format_date(day) + " (" + std::to_string(planned.size()) +
                         " planned";
    // The nearest planned terminal, from where the terminal visited is.
    if (const Terminal* here = master.terminal(in->terminal)) {
        const Terminal* nearest = nullptr;
        double best = 0;
        for (const auto& id : planned)
            if (const Terminal* t = master.terminal(id)) {
                double d = distance_m(here->lat, here->lon, t->lat, t->lon);
                if (!nearest || d < best) {
                    nearest = t;
                    best = d;
                }
            }
        if (nearest) {
            char km[32];
            std::snprintf(km, sizeof km, "%.1f", best / 1000.0);
            detail += "; the nearest planned is " + nearest->id + ", " + km + " km away";
        }
    }
    return Reason(ReasonCode::off_plan, detail + ")");
}

std::vector<PlanAgainstActual> plan_against_actual(const std::vector<PlannedVisit>& plans,
                                                   const std::vector<VisitMark>& marks,
                                                   Period period, Day today) {
    std::map<std::pair<std::string, Day>, std::set<std::string>> planned, visited;
    for (const auto& v : plans)
        if (period_of(v.day) == period) planned[{v.rep, v.day}].insert(v.terminal);
    for (const auto& m : marks) {
        if (!m.check_in) continue;
        Day day = china_day(m.at_ms);
        if (period_of(day) == period) visited[{m.rep, day}].insert(m.terminal);
    }
    std::set<std::pair<std::string, Day>> days;
    for (const auto& [key, terminals] : planned) days.insert(key);
    for (const auto& [key, terminals] : visited) days.insert(key);
    std::vector<PlanAgainstActual> out;
    static const std::set<std::string> none;
    for (const auto& key : days) {
        auto p = planned.find(key);
        auto v = visited.find(key);
        const auto& plan = p == planned.end() ? none : p->second;
        const auto& seen = v == visited.end() ? none : v->second;
        PlanAgainstActual row{key.first, key.second};
        row.planned = static_cast<unsigned>(plan.size());
        for (const auto& t : seen) (plan.count(t) ? row.done : row.unplanned) += 1;
        row.missed = key.second < today ? row.planned - row.done : 0;
        out.push_back(row);
    }
    return out;
}

}  // namespace fieldflow::core
