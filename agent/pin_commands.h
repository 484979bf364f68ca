#pragma once
// set-pin, unlock and lock: the rep's PIN on the command line. The PIN is
// read from standard input, never from the command line, where any process
// could read it; at a terminal it is not echoed.

#include <chrono>
#include <iosfwd>

#include "agent/outbox.h"

namespace fieldflow::agent {

// How long an unlock lasts unless told: a working day.
inline constexpr std::chrono::hours default_unlock_hold{12};

int set_pin_command(Outbox& outbox, std::istream& in, std::ostream& out, std::chrono::seconds hold);
int unlock_command(Outbox& outbox, std::istream& in, std::ostream& out, std::chrono::seconds hold);
int lock_command(Outbox& outbox, std::ostream& out);

}  // namespace fieldflow::agent
