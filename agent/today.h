#pragma once
// What today holds for the rep (docs/agent.md, "Today"): the day's planned
// stops in the plan's order, with the distance from where the rep stands
// and a mark on those already checked in at, and the known terminals
// nearby that the plan leaves out. Read from the outbox's database only:
// the plan and the terminals come down with sync (agent/plan_held.h,
// agent/master_apply.h), the check-ins are the handheld's own, so the
// answer is there offline. The rep's app (`serve`) and `fieldflow-agent
// today` both call it.

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "agent/outbox.h"
#include "core/calendar.h"
#include "core/fix_tracker.h"

namespace fieldflow::agent {

struct TodayStop {
    std::string terminal, name, address;  // name and address empty when the terminal is unknown
    int order = 0;                        // 0 = not in the plan
    std::optional<double> distance_m;     // from the fix, when there is one
    double radius_m = 0;
    bool done = false;  // done = a check-in at it today
};

struct Today {
    std::string day;                // YYYY-MM-DD, China time
    std::vector<TodayStop> plan;    // in the plan's order
    std::vector<TodayStop> nearby;  // not in the plan, within 3 km, nearest first, at most 10
};

// The known terminals outside the plan that are offered nearby.
constexpr double nearby_radius_m = 3000;
constexpr std::size_t nearby_limit = 10;

// The terminals checked in at on `day` (China Standard Time), from the
// handheld's own record of its check-ins.
std::set<std::string> checked_in_on(Outbox& outbox, core::Day day);

// Today (China Standard Time, as the plan's days are) at `now_ms`; nearby
// stays empty without a fix.
Today today(Outbox& outbox, const std::optional<core::Fix>& fix, std::int64_t now_ms);

}  // namespace fieldflow::agent
