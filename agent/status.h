#pragma once
#include <ostream>

#include "agent/outbox.h"

namespace fieldflow::agent {

// What the rep (or a test) needs to know about this handheld.
void print_status(Outbox& outbox, std::ostream& out, bool json);

}  // namespace fieldflow::agent
