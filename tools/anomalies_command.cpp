// `fieldflow anomalies [--period YYYY-MM] --db DB --master DIR`: every
// finding of the anomaly scan as `record_id,kind,reason,detail`, for one
// period or for all.

#include <nlohmann/json.hpp>

#include <iostream>

#include "core/anomalies.h"
#include "store/distribution_store.h"
#include "tools/commands.h"
#include "tools/csv_output.h"

namespace fieldflow::tools {

namespace {

bool number(const std::string* text, double& out, const char* flag) {
    if (!text) return true;
    try {
        std::size_t end = 0;
        out = std::stod(*text, &end);
        if (end == text->size() && out >= 0) return true;
    } catch (const std::exception&) {
    }
    std::cerr << "fieldflow anomalies: --" << flag << " is a number >= 0, not \"" << *text
              << "\"\n";
    return false;
}

}  // namespace

int anomalies_command(const Args& args) {
    auto flags =
        parse_flags("anomalies", args,
                    {"db", "master", "period", "format", "tolerance-units", "tolerance-percent"});
    if (!flags.ok) return 2;
    std::string format = flags.get("format") ? *flags.get("format") : "csv";
    if (format != "csv" && format != "json") {
        std::cerr << "fieldflow anomalies: --format is csv or json, not \"" << format << "\"\n";
        return 2;
    }
    bool one_period = false;
    auto period = period_flag("anomalies", flags, false, &one_period);
    if (one_period && !period) return 2;
    core::Tolerance tolerance;
    double units = double(tolerance.units);
    if (!number(flags.get("tolerance-units"), units, "tolerance-units") ||
        !number(flags.get("tolerance-percent"), tolerance.percent, "tolerance-percent"))
        return 2;
    tolerance.units = static_cast<std::int64_t>(units);
    auto db = existing_store("anomalies", flags);
    if (db.empty()) return 1;
    auto master = master_data("anomalies", flags);
    if (!master) return 2;

    store::DistributionStore store(db);
    auto book = store.load();
    auto found = core::find_anomalies(book, *master, store, tolerance);
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    if (format == "csv") std::cout << "record_id,kind,reason,detail\n";
    for (const auto& a : found) {
        if (period && a.period != *period) continue;
        if (format == "csv")
            std::cout << csv_field(a.record_id) << ',' << core::name(a.kind) << ','
                      << core::name(a.reason) << ',' << csv_field(a.detail) << '\n';
        else
            rows.push_back({{"record_id", a.record_id},
                            {"kind", core::name(a.kind)},
                            {"reason", core::name(a.reason)},
                            {"period", core::format_period(a.period)},
                            {"detail", a.detail}});
    }
    if (format == "json") std::cout << rows.dump(1) << '\n';
    return 0;
}

}  // namespace fieldflow::tools
