#pragma once
// What each device is sent of the visit plan (docs/protocol.md,
// "Downlink"): its rep's visits from yesterday to seven days ahead, whole,
// whenever the plan version it holds is not the store's. Whole rather than
// a delta because a rep's week is a hundred rows at most, and a whole
// window needs no history: a visit removed, a day re-planned, a rep moved
// to other terminals and a window moved on by a day all come out right.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/visit_plan.h"
#include "schemas/protocol.capnp.h"
#include "store/plan_store.h"

namespace fieldflow::gateway {

struct PlanSlice {
    std::uint64_t from = 0, to = 0;
    core::Day first = 0, last = 0;
    std::vector<core::PlannedVisit> visits;  // by day and order
};

// The days a device is sent, around `today`.
constexpr int plan_days_before = 1;
constexpr int plan_days_after = 7;

// The slice of `rep` for a device holding plan version `held` on `today`
// (China Standard Time); none when the device holds the store's version
// already. A device holding 0 has none, or asks for its window again.
std::optional<PlanSlice> plan_slice(store::PlanStore& plans, const std::string& rep,
                                    std::uint64_t held, core::Day today);

void fill(wire::PlanDelta::Builder out, const PlanSlice& slice);

}  // namespace fieldflow::gateway
