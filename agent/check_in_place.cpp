#include "agent/check_in_place.h"

#include <cmath>

#include "agent/master_apply.h"
#include "core/visit_rules.h"

namespace fieldflow::agent {

namespace {

std::string metres(double m) {
    return std::to_string(static_cast<long long>(std::llround(m))) + " m";
}

std::string named(const KnownTerminal& t) {
    return t.name.empty() ? t.id : t.id + " (" + t.name + ")";
}

}  // namespace

void place_check_in(Outbox& outbox, core::CheckIn& in, const CheckInPlace& place,
                    std::ostream& out) {
    auto& db = outbox.database();
    const bool has_position = in.fix != core::FixJudgement::none;
    std::optional<KnownTerminal> at;
    if (place.nearest) {
        if (terminals_known(db) == 0)
            throw Refused(
                "--nearest needs the terminals of this handheld's master data, and it has none "
                "yet: sync to download them, or name the terminal with --terminal; nothing was "
                "saved");
        if (!has_position)
            throw Refused(
                "--nearest needs a position, and the receiver had no fix: name the terminal with "
                "--terminal; nothing was saved");
        at = nearest_terminal(db, in.lat, in.lon);
        in.terminal = at->id;
        out << "nearest terminal: " << named(*at) << ", " << metres(at->distance_m) << " away\n";
    } else {
        in.terminal = place.terminal;
        if (has_position) at = known_terminal(db, place.terminal, in.lat, in.lon);
    }
    if (place.reason) in.reason = *place.reason;
    if (!at) return;
    // As the gateway judges it (core::within_geofence).
    double accuracy = core::accuracy_benefit_m(in.accuracy_m);
    if (at->distance_m <= at->radius_m + accuracy) return;
    std::string how_far = named(*at) + " is " + metres(at->distance_m) +
                          " away, farther than its radius of " + metres(at->radius_m) +
                          " plus the fix's accuracy of " + metres(accuracy);
    if (!place.reason)
        throw Refused(how_far +
                      ": to check in there anyway, say why with --reason TEXT; nothing was saved");
    out << how_far << ": the reason goes with the check-in, which the gateway flags for review\n";
}

}  // namespace fieldflow::agent
