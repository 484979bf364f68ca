#include "gateway/scoped_pages.h"

#include <map>

namespace fieldflow::gateway {

using nlohmann::json;

namespace {

template <typename Keep>
json kept_rows(const json& rows, Keep keep) {
    json out = json::array();
    if (!rows.is_array()) return out;
    for (const auto& row : rows)
        if (keep(row)) out.push_back(row);
    return out;
}

std::string text_of(const json& row, const char* key) {
    auto value = row.find(key);
    return value != row.end() && value->is_string() ? value->get<std::string>() : std::string();
}

}  // namespace

json scoped_ledger(json ledger, const core::TerritoryScope& scope, const core::MasterData& master) {
    if (scope.everything()) return ledger;
    ledger["rows"] = kept_rows(ledger["rows"], [&](const json& row) {
        auto holder = text_of(row, "holder");
        return scope.distributor(master, holder) || scope.terminal(master, holder);
    });
    ledger["channel"] = json::array();
    return ledger;
}

json scoped_effectiveness(json report, const core::TerritoryScope& scope,
                          const core::MasterData& master) {
    if (scope.everything()) return report;
    auto by_rep = [&](const json& row) { return scope.rep(master, text_of(row, "rep")); };
    report["reps"] = kept_rows(report["reps"], by_rep);
    report["plan"] = kept_rows(report["plan"], by_rep);
    report["terminals"] = kept_rows(report["terminals"], [&](const json& row) {
        return scope.terminal(master, text_of(row, "terminal"));
    });
    std::map<std::string, json> grades;
    for (const auto& grade : report["grades"]) {
        json counted = grade;
        counted["terminals"] = 0;
        counted["on_target"] = 0;
        counted["visits"] = 0;
        grades[text_of(grade, "grade")] = counted;
    }
    for (const auto& t : report["terminals"]) {
        auto found = grades.find(text_of(t, "grade"));
        if (found == grades.end()) continue;
        json& g = found->second;
        auto visits = t.value("visits", 0);
        g["terminals"] = g["terminals"].get<int>() + 1;
        g["visits"] = g["visits"].get<int>() + visits;
        if (visits >= t.value("target", 0)) g["on_target"] = g["on_target"].get<int>() + 1;
    }
    json recounted = json::array();
    for (const auto& grade : report["grades"]) recounted.push_back(grades[text_of(grade, "grade")]);
    report["grades"] = recounted;
    return report;
}

}  // namespace fieldflow::gateway
