#pragma once
// The visit plans against what the reps did: the `off_plan` rule the
// gateway applies to each check-in, and the plan against actual of the
// effectiveness report. Days are China Standard Time, as in
// core/effectiveness.h.

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/calendar.h"
#include "core/effectiveness.h"
#include "core/master_data.h"
#include "core/reason.h"
#include "core/record.h"
#include "core/visit_plan.h"

namespace fieldflow::core {

// The planned terminals of each rep's day, in the plan's order. A rep's day
// that is absent has no plan.
using DayPlans = std::map<std::pair<std::string, Day>, std::vector<std::string>>;
DayPlans day_plans(const std::vector<PlannedVisit>& visits);

// A check-in at a terminal not in its rep's plan for its day, when the rep
// has a plan that day: flagged for a reviewer, never rejected. The detail
// names how many terminals were planned and the nearest of them.
std::optional<Reason> on_plan(const Record& record, const DayPlans& plans,
                              const MasterData& master);

struct PlanAgainstActual {
    std::string rep;
    Day day = 0;
    unsigned planned = 0;    // terminals in the plan
    unsigned done = 0;       // planned terminals the rep checked in at that day
    unsigned missed = 0;     // planned - done, on a day before `today`; 0 until then
    unsigned unplanned = 0;  // other terminals the rep checked in at that day
    bool operator==(const PlanAgainstActual&) const = default;
};

// Every rep's day of `period` with a plan or a check-in, by rep and day. A
// planned visit is missed only once its day is over: `today` and later
// days count none yet.
std::vector<PlanAgainstActual> plan_against_actual(const std::vector<PlannedVisit>& plans,
                                                   const std::vector<VisitMark>& marks,
                                                   Period period, Day today);

}  // namespace fieldflow::core
