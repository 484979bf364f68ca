#pragma once
// The visit report commands (巡店报告): terminal sales, purchases received,
// promotions, displays and competitors seen in the open visit, and a
// commercial rep's report of a distributor's stock.

#include <map>
#include <string>
#include <vector>

#include "agent/command_line.h"
#include "agent/outbox.h"

namespace fieldflow::agent {

// Their options, to merge into the command table.
const std::map<std::string, std::vector<OptionSpec>>& report_command_options();

// Runs one of them; false when `line` names another command.
bool run_report_command(Outbox& outbox, const CommandLine& line);

}  // namespace fieldflow::agent
