#pragma once
// A month's visit plans proposed from the A/B/C visit targets, the working
// days and where the terminals are: each terminal gets its target's visits
// spread over the month, and each day's stops lie close together in a
// short order.
//
// How: every terminal goes to the rep whose territory covers it most
// narrowly; terminals several reps cover equally are cut along one short
// path through them into a stretch per rep. Commercial reps, who visit
// distributors, get none. Per rep, one short route through all
// the rep's terminals (core/route.h) fixes a geographic sweep. The month's
// visits are then that sweep repeated, one round per visit a terminal is
// due (round k holds the terminals whose target exceeds k), and the rounds,
// in turn, are cut into the working days in consecutive pieces of nearly
// equal size: a day is a stretch of the sweep, so its stops are neighbours,
// and a terminal's visits fall in successive parts of the month. Each day
// is then ordered again by nearest neighbour from its first stop and 2-opt.

#include <vector>

#include "core/calendar.h"
#include "core/effectiveness.h"
#include "core/master_data.h"
#include "core/visit_plan.h"

namespace fieldflow::core {

// Monday to Friday of the month. Public holidays and the weekends worked
// in their place (调休) differ by year: an operator edits the proposal.
std::vector<Day> working_days(Period period);

// 0 Monday ... 6 Sunday.
int weekday(Day day);

struct PlanProposal {
    std::vector<PlannedVisit> visits;  // by rep, day, order
    // Terminals no non-commercial rep's territory covers: they get no visits.
    std::vector<std::string> unassigned;
    // Visits a terminal was due that did not fit (a month with fewer working
    // days than a terminal's target).
    unsigned visits_short = 0;
};

// The length in metres of every rep's day walked in the plan's order.
double plan_route_length_m(const std::vector<PlannedVisit>& visits, const MasterData& master);

PlanProposal propose_plan(const MasterData& master, const VisitTargets& targets,
                          const std::vector<Day>& days);

}  // namespace fieldflow::core
