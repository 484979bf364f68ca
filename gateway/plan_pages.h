#pragma once
// Plan against actual for the console's effectiveness page: each rep's day
// with planned, done, missed and unplanned visits (core/plan_rules.h).

#include <nlohmann/json.hpp>

#include <vector>

#include "core/calendar.h"
#include "core/effectiveness.h"
#include "core/visit_plan.h"

namespace fieldflow::gateway {

// [{"rep", "day", "planned", "done", "missed", "unplanned"}], by rep and day.
nlohmann::json plan_against_actual(const std::vector<core::PlannedVisit>& plans,
                                   const std::vector<core::VisitMark>& marks, core::Period period,
                                   core::Day today);

}  // namespace fieldflow::gateway
