// `fieldflow anomalies [--period YYYY-MM] --db DB --master DIR`: every
// finding of the anomaly scan as `record_id,kind,reason,detail`, for one
// period or for all.

#include <nlohmann/json.hpp>

#include <iostream>

#include "core/anomalies.h"
#include "store/distribution_store.h"
#include "tools/commands.h"
#include "tools/csv_output.h"
#include "tools/workbook_output.h"

namespace fieldflow::tools {

int anomalies_command(const AnomaliesOptions& o) {
    const std::string& format = o.format;
    const auto& period = o.period;
    if (!workbook_wanted("anomalies", format, o.out)) return 2;
    if (!existing_store("anomalies", o.db)) return 1;
    auto master = master_data("anomalies", o.master);
    if (!master) return 2;

    store::DistributionStore store(o.db);
    auto book = store.load();
    auto found = core::find_anomalies(book, *master, store, o.tolerance);
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    if (format == "csv") std::cout << "record_id,kind,reason,detail\n";
    for (const auto& a : found) {
        if (period && a.period != *period) continue;
        if (format == "csv")
            std::cout << csv_field(a.record_id) << ',' << core::name(a.kind) << ','
                      << core::name(a.reason) << ',' << csv_field(a.detail) << '\n';
        else  // json, and the workbook's rows
            rows.push_back({{"record_id", a.record_id},
                            {"kind", core::name(a.kind)},
                            {"reason", core::name(a.reason)},
                            {"period", core::format_period(a.period)},
                            {"detail", a.detail}});
    }
    if (format == "json") std::cout << rows.dump(1) << '\n';
    if (format == "xlsx") return write_workbook("anomalies", "anomalies", rows, o.out);
    return 0;
}

}  // namespace fieldflow::tools
