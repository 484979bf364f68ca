// `fieldflow period close|reopen|list`: month-end close. A closed month's
// figures stay as they were reported; rows dated in it that arrive later
// are booked in the next open month and flagged `closed_period`.

#include <iostream>

#include "store/distribution_store.h"
#include "tools/commands.h"
#include "tools/time_format.h"

namespace fieldflow::tools {

int period_command(const PeriodOptions& o) {
    std::string command = "period " + o.action;
    if (!existing_store(command.c_str(), o.db)) return 1;
    store::DistributionStore store(o.db);
    if (o.action == "list") {
        for (const auto& e : store.period_log())
            std::cout << e.period << ' ' << e.action << " by " << e.by << " at "
                      << iso8601_utc(e.at_ms) << (e.reason.empty() ? "" : ": " + e.reason) << '\n';
        return 0;
    }
    std::string month = core::format_period(o.period);
    if (o.action == "close") {
        if (!store.close_period(o.period, operator_name(o.by))) {
            std::cout << month << " was already closed\n";
            return 0;
        }
        std::cout << month << " closed\n";
        return 0;
    }
    if (o.reason.empty()) {
        std::cerr << "fieldflow period reopen: --reason TEXT is required\n";
        return 2;
    }
    if (!store.reopen_period(o.period, o.reason, operator_name(o.by))) {
        std::cerr << "fieldflow period reopen: " << month << " is not closed\n";
        return 1;
    }
    std::cout << month << " reopened\n";
    return 0;
}

}  // namespace fieldflow::tools
