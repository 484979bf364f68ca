#include "gateway/plan_pages.h"

#include "core/plan_rules.h"

namespace fieldflow::gateway {

nlohmann::json plan_against_actual(const std::vector<core::PlannedVisit>& plans,
                                   const std::vector<core::VisitMark>& marks, core::Period period,
                                   core::Day today) {
    auto rows = nlohmann::json::array();
    for (const auto& d : core::plan_against_actual(plans, marks, period, today))
        rows.push_back({{"rep", d.rep},
                        {"day", core::format_date(d.day)},
                        {"planned", d.planned},
                        {"done", d.done},
                        {"missed", d.missed},
                        {"unplanned", d.unplanned}});
    return rows;
}

}  // namespace fieldflow::gateway
