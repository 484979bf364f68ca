#pragma once
// `upload flows|stock FILE`: a commercial rep carries a distributor's flow
// data or stock report into the outbox, one record per row, to be judged at
// the gateway by the same rules as an imported file and booked there.

#include "agent/command_line.h"
#include "agent/outbox.h"

namespace fieldflow::agent {

int upload(Outbox& outbox, const CommandLine& line);

}  // namespace fieldflow::agent
