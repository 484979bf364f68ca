#pragma once
// Which terminal a check-in is at, and whether the rep stands near enough
// to it, from the master data downloaded to the handheld
// (agent/master_apply.h): a rep learns at the door that the fix is far
// from the terminal, not after a sync.

#include <optional>
#include <ostream>
#include <string>

#include "agent/outbox.h"
#include "core/record.h"

namespace fieldflow::agent {

struct CheckInPlace {
    std::string terminal;  // --terminal; empty with --nearest
    bool nearest = false;
    std::optional<std::string> reason;  // --reason
};

// Sets `in`'s terminal (the closest known one, with `nearest`) and reason,
// saying on `out` which terminal and how far. Throws Refused, with nothing
// saved: `nearest` with no terminals on the handheld or no position; a
// position farther from a known terminal than its radius plus the fix's
// accuracy, without a reason.
void place_check_in(Outbox& outbox, core::CheckIn& in, const CheckInPlace& place,
                    std::ostream& out);

}  // namespace fieldflow::agent
