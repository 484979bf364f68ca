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

int flows_command(const FlowsOptions& o) {
    std::string command = "flows " + o.action;
    if (o.action == "adjustments") {
        if (!existing_store(command.c_str(), o.db)) return 1;
        store::DistributionStore store(o.db);
        std::cout << "flow_id,field,old_value,new_value,reason,by,at\n";
        for (const auto& a : store.flow_adjustments())
            std::cout << csv_field(a.flow_id) << ',' << a.field << ',' << csv_field(a.old_value)
                      << ',' << csv_field(a.new_value) << ',' << csv_field(a.reason) << ','
                      << csv_field(a.by) << ',' << iso8601_utc(a.at_ms) << '\n';
        return 0;
    }
    std::string field, value;
    for (auto [name, given] :
         {std::pair{"qty", &o.qty}, {"buyer", &o.buyer}, {"lot", &o.lot}, {"date", &o.date}}) {
        if (!*given) continue;
        if (!field.empty()) {
            std::cerr << "fieldflow flows adjust: one field at a time: --" << field << " and --"
                      << name << '\n';
            return 2;
        }
        field = name;
        value = **given;
    }
    if (field.empty()) {
        std::cerr
            << "fieldflow flows adjust: say what to change: --qty, --buyer, --lot or --date\n";
        return 2;
    }
    if (!existing_store(command.c_str(), o.db)) return 1;
    store::DistributionStore store(o.db);
    try {
        auto a = store.adjust_flow(o.flow_id, field, value, o.reason, operator_name(o.by));
        std::cout << "flow " << a.flow_id << ": " << a.field << " " << a.old_value << " -> "
                  << a.new_value << " (" << a.reason << ", by " << a.by << ")\n";
        return 0;
    } catch (const std::invalid_argument& error) {
        std::cerr << "fieldflow flows adjust: " << error.what() << '\n';
        return 1;
    }
}

}  // namespace fieldflow::tools
