// `fieldflow period close|reopen|list`: month-end close. A closed month's
// figures stay as they were reported; rows dated in it that arrive later
// are booked in the next open month and flagged `closed_period`.

#include <iostream>

#include "store/distribution_store.h"
#include "tools/commands.h"
#include "tools/time_format.h"

namespace fieldflow::tools {

int period_command(const PeriodOptions& o, const program::Log& log) {
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
        if (!store.close_period(o.period, operator_name(o.by), o.reason)) {
            std::cout << month << " was already closed\n";
            return 0;
        }
        std::cout << month << " closed\n";
        // The head as the close left it, for the operator to keep outside
        // the store and compare later (docs/operations.md, "The audit log").
        if (auto head = store.audit_head())
            log.component("audit")->info("{} closed head={}", month, store::format_head(*head));
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
