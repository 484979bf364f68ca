// `fieldflow period close|reopen|list`: month-end close. A closed month's
// figures stay as they were reported; rows dated in it that arrive later
// are booked in the next open month and flagged `closed_period`.

#include <iostream>

#include "store/distribution_store.h"
#include "tools/commands.h"
#include "tools/time_format.h"

namespace fieldflow::tools {

namespace {

const char* const usage =
    "usage: fieldflow period close YYYY-MM --db DB [--by NAME]\n"
    "       fieldflow period reopen YYYY-MM --reason TEXT --db DB [--by NAME]\n"
    "       fieldflow period list --db DB\n";

}  // namespace

int period_command(const Args& args) {
    if (args.empty()) {
        std::cerr << usage;
        return 2;
    }
    const std::string& action = args[0];
    if (action == "list") {
        auto flags = parse_flags("period list", Args(args.begin() + 1, args.end()), {"db"});
        if (!flags.ok) return 2;
        auto db = existing_store("period list", flags);
        if (db.empty()) return 1;
        store::DistributionStore store(db);
        for (const auto& e : store.period_log())
            std::cout << e.period << ' ' << e.action << " by " << e.by << " at "
                      << iso8601_utc(e.at_ms) << (e.reason.empty() ? "" : ": " + e.reason) << '\n';
        return 0;
    }
    if ((action != "close" && action != "reopen") || args.size() < 2) {
        std::cerr << usage;
        return 2;
    }
    std::string command = "period " + action;
    auto period = core::parse_period(args[1]);
    if (!period) {
        std::cerr << "fieldflow " << command << ": a period is YYYY-MM, not \"" << args[1]
                  << "\"\n";
        return 2;
    }
    auto flags =
        parse_flags(command.c_str(), Args(args.begin() + 2, args.end()), {"db", "by", "reason"});
    if (!flags.ok) return 2;
    auto db = existing_store(command.c_str(), flags);
    if (db.empty()) return 1;
    store::DistributionStore store(db);
    if (action == "close") {
        if (!store.close_period(*period, operator_name(flags))) {
            std::cout << args[1] << " was already closed\n";
            return 0;
        }
        std::cout << args[1] << " closed\n";
        return 0;
    }
    const std::string* reason = flags.get("reason");
    if (!reason || reason->empty()) {
        std::cerr << "fieldflow period reopen: --reason TEXT is required\n";
        return 2;
    }
    if (!store.reopen_period(*period, *reason, operator_name(flags))) {
        std::cerr << "fieldflow period reopen: " << args[1] << " is not closed\n";
        return 1;
    }
    std::cout << args[1] << " reopened\n";
    return 0;
}

}  // namespace fieldflow::tools
