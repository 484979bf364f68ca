#include "gateway/plan_downlink.h"

namespace fieldflow::gateway {

std::optional<PlanSlice> plan_slice(store::PlanStore& plans, const std::string& rep,
                                    std::uint64_t held, core::Day today) {
    auto latest = static_cast<std::uint64_t>(plans.version());
    if (held == latest) return std::nullopt;
    PlanSlice slice{held, latest, today - plan_days_before, today + plan_days_after, {}};
    // An empty rep reads every rep's plan: a hello always names one, but
    // the device must never be sent another rep's visits.
    if (!rep.empty()) slice.visits = plans.plan(rep, slice.first, slice.last);
    return slice;
}

void fill(wire::PlanDelta::Builder out, const PlanSlice& slice) {
    out.setFromVersion(slice.from);
    out.setToVersion(slice.to);
    out.setFirstDay(slice.first);
    out.setLastDay(slice.last);
    auto visits = out.initVisits(static_cast<unsigned>(slice.visits.size()));
    for (unsigned i = 0; i < slice.visits.size(); ++i) {
        const auto& v = slice.visits[i];
        visits[i].setDay(v.day);
        visits[i].setOrder(v.order);
        visits[i].setTerminal(v.terminal);
        visits[i].setPurpose(v.purpose);
    }
}

}  // namespace fieldflow::gateway
