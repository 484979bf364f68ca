#pragma once
// The visit plan the handheld downloaded (docs/agent.md, "Plan"): its rep's
// visits from yesterday to seven days ahead, with the plan version they
// were read at. Each PlanDelta (schemas/protocol.capnp) replaces the whole
// plan held, in the transaction that applies the downlink's master data.
// On a new day the handheld asks for its window again (plan version 0), so
// that the week ahead always reaches seven days.

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "core/calendar.h"
#include "core/visit_plan.h"
#include "schemas/protocol.capnp.h"

namespace fieldflow::agent {

struct HeldPlan {
    std::uint64_t version = 0;
    core::Day first = 0, last = 0;  // the days the plan held covers, both included
};

// None when no plan was downloaded yet.
std::optional<HeldPlan> held_plan(SQLite::Database& db);

// The plan version the hello names at `now_ms`: the one held, or 0 when
// none is held or it was sent for another day.
std::uint64_t plan_version_to_ask(SQLite::Database& db, std::int64_t now_ms);

struct PlanApplied {
    std::uint64_t from = 0, to = 0;
    std::size_t visits = 0;
};
// Replaces the plan held with `delta`, in the caller's transaction.
PlanApplied apply_plan(SQLite::Database& db, wire::PlanDelta::Reader delta);

// The visits held from `from` to `to`, both included, by day and order
// (`rep` left empty: the handheld holds its own rep's plan only).
std::vector<core::PlannedVisit> held_visits(SQLite::Database& db, core::Day from, core::Day to);

}  // namespace fieldflow::agent
