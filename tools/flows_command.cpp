// `fieldflow flows adjust FLOW_ID --qty N|--buyer ID|--lot LOT|--date D
// --reason TEXT`: an operator's correction of one flow row. The imported
// row is kept; the adjustment records who changed what, from what, and why.
// `fieldflow flows adjustments` lists them.

#include <iostream>
#include <stdexcept>

#include "store/distribution_store.h"
#include "tools/commands.h"
#include "tools/csv_output.h"
#include "tools/time_format.h"

namespace fieldflow::tools {

namespace {

const char* const usage =
    "usage: fieldflow flows adjust FLOW_ID --qty N|--buyer ID|--lot LOT|--date YYYY-MM-DD\n"
    "                              --reason TEXT --db DB [--by NAME]\n"
    "       fieldflow flows adjustments --db DB\n";

}  // namespace

int flows_command(const Args& args) {
    if (!args.empty() && args[0] == "adjustments") {
        auto flags = parse_flags("flows adjustments", Args(args.begin() + 1, args.end()), {"db"});
        if (!flags.ok) return 2;
        auto db = existing_store("flows adjustments", flags);
        if (db.empty()) return 1;
        store::DistributionStore store(db);
        std::cout << "flow_id,field,old_value,new_value,reason,by,at\n";
        for (const auto& a : store.flow_adjustments())
            std::cout << csv_field(a.flow_id) << ',' << a.field << ',' << csv_field(a.old_value)
                      << ',' << csv_field(a.new_value) << ',' << csv_field(a.reason) << ','
                      << csv_field(a.by) << ',' << iso8601_utc(a.at_ms) << '\n';
        return 0;
    }
    if (args.size() < 2 || args[0] != "adjust" || args[1].rfind("--", 0) == 0) {
        std::cerr << usage;
        return 2;
    }
    auto flags = parse_flags("flows adjust", Args(args.begin() + 2, args.end()),
                             {"db", "by", "reason", "qty", "buyer", "lot", "date"});
    if (!flags.ok) return 2;
    std::string field, value;
    for (const char* name : {"qty", "buyer", "lot", "date"}) {
        if (const std::string* v = flags.get(name)) {
            if (!field.empty()) {
                std::cerr << "fieldflow flows adjust: one field at a time: --" << field << " and --"
                          << name << '\n';
                return 2;
            }
            field = name;
            value = *v;
        }
    }
    if (field.empty()) {
        std::cerr
            << "fieldflow flows adjust: say what to change: --qty, --buyer, --lot or --date\n";
        return 2;
    }
    const std::string* reason = flags.get("reason");
    if (!reason) {
        std::cerr << "fieldflow flows adjust: --reason TEXT is required\n";
        return 2;
    }
    auto db = existing_store("flows adjust", flags);
    if (db.empty()) return 1;
    store::DistributionStore store(db);
    try {
        auto a = store.adjust_flow(args[1], field, value, *reason, operator_name(flags));
        std::cout << "flow " << a.flow_id << ": " << a.field << " " << a.old_value << " -> "
                  << a.new_value << " (" << a.reason << ", by " << a.by << ")\n";
        return 0;
    } catch (const std::invalid_argument& error) {
        std::cerr << "fieldflow flows adjust: " << error.what() << '\n';
        return 1;
    }
}

}  // namespace fieldflow::tools
