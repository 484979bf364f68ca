#pragma once
// Visit plans (拜访计划): which terminals a rep should visit on a day, in
// which order and why. Read from the plan CSV (docs/data-formats.md) and
// checked against the master data in force, so that a plan never names a
// rep, a terminal or a territory the gateway does not know.

#include <istream>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/master_data.h"

namespace fieldflow::core {

struct PlannedVisit {
    std::string rep;
    Day day = 0;
    std::string terminal;
    std::string purpose;
    unsigned order = 0;  // 1 for the day's first stop
    bool operator==(const PlannedVisit&) const = default;
};

struct PlanLoad {
    std::vector<PlannedVisit> visits;  // by rep, day, order
    std::vector<LoadError> errors;     // bad rows; the caller applies nothing when any
};

// Reads the plan CSV (header rep_id,date,terminal_id,purpose,order in any
// order). A row is bad when its rep or terminal is not in `master`, its
// terminal lies outside the rep's territory, its date is no real day, its
// order is not a whole number from 1, or it repeats a terminal or an order
// of the same rep's day.
PlanLoad read_plan_csv(std::istream& in, const std::string& file, const MasterData& master);

// The plan CSV of `visits`, as read_plan_csv reads it.
std::string plan_csv(const std::vector<PlannedVisit>& visits);

}  // namespace fieldflow::core
