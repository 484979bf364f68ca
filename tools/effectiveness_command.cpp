// `fieldflow effectiveness --period YYYY-MM --db DB --master DIR`: what the
// reps' visits amount to — visits per rep and day with minutes in store
// (--view reps), how many A, B and C terminals got their monthly visits
// (--view grades), each terminal's visits against its target
// (--view terminals), or each rep's day against its visit plan: planned,
// done, missed and unplanned visits (--view plan).

#include <nlohmann/json.hpp>
#include <spdlog/fmt/fmt.h>

#include <cmath>
#include <iostream>

#include "core/clock.h"
#include "core/effectiveness.h"
#include "core/plan_rules.h"
#include "schemas/record_codec.h"
#include "store/gateway_store.h"
#include "store/plan_store.h"
#include "tools/commands.h"
#include "tools/workbook_output.h"

namespace fieldflow::tools {

std::optional<core::VisitTargets> parse_targets(const std::string& text) {
    core::VisitTargets targets;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find(',', at);
        std::string item = text.substr(at, end == std::string::npos ? std::string::npos : end - at);
        if (item.size() < 3 || item[1] != '=') return std::nullopt;
        unsigned* target = item[0] == 'A'   ? &targets.a
                           : item[0] == 'B' ? &targets.b
                           : item[0] == 'C' ? &targets.c
                                            : nullptr;
        if (!target) return std::nullopt;
        try {
            std::size_t used = 0;
            long value = std::stol(item.substr(2), &used);
            if (used != item.size() - 2 || value < 0) return std::nullopt;
            *target = static_cast<unsigned>(value);
        } catch (const std::exception&) {
            return std::nullopt;
        }
        if (end == std::string::npos) break;
        at = end + 1;
    }
    return targets;
}

namespace {

// The rows of one view with the keys the console's report has
// (gateway/distribution_pages.cpp), for the workbook, whose columns take
// their order from tables/json_table.cpp.
nlohmann::json view_rows(const core::Effectiveness& report, const std::string& view) {
    auto rows = nlohmann::json::array();
    if (view == "reps") {
        for (const auto& d : report.rep_days)
            rows.push_back({{"rep", d.rep},
                            {"day", core::format_date(d.day)},
                            {"visits", d.visits},
                            {"closed_visits", d.closed_visits},
                            {"minutes_in_store", std::round(d.minutes_in_store)}});
    } else if (view == "grades") {
        for (const auto& g : report.grades)
            rows.push_back({{"grade", std::string(1, g.grade)},
                            {"terminals", g.terminals},
                            {"target", g.target},
                            {"on_target", g.on_target},
                            {"coverage_percent",
                             std::round(g.terminals ? 100.0 * g.on_target / g.terminals : 0.0)},
                            {"visits", g.visits}});
    } else {
        for (const auto& t : report.terminals)
            rows.push_back({{"terminal", t.terminal},
                            {"grade", std::string(1, t.grade)},
                            {"visits", t.visits},
                            {"target", t.target}});
    }
    return rows;
}

// Plan against actual with the keys of the console's report (gateway/plan_pages.cpp).
nlohmann::json plan_rows(const std::vector<core::PlanAgainstActual>& days) {
    auto rows = nlohmann::json::array();
    for (const auto& d : days)
        rows.push_back({{"rep", d.rep},
                        {"day", core::format_date(d.day)},
                        {"planned", d.planned},
                        {"done", d.done},
                        {"missed", d.missed},
                        {"unplanned", d.unplanned}});
    return rows;
}

}  // namespace

int effectiveness_command(const EffectivenessOptions& o) {
    const std::string& view = o.view;
    if (!workbook_wanted("effectiveness", o.format, o.out)) return 2;
    if (!existing_store("effectiveness", o.db)) return 1;
    auto master = master_data("effectiveness", o.master);
    if (!master) return 2;

    std::vector<core::VisitMark> marks;
    store::GatewayStore store(o.db);
    store.for_each_record([&](const store::StoredRecord& r) {
        if (!r.seq || r.outcome == core::Outcome::rejected) return;
        if (r.kind != "check_in" && r.kind != "check_out") return;
        auto decoded = wire::decode_record(r.raw);
        if (!decoded.record) return;
        if (auto terminal = core::visit_terminal(decoded.record->payload))
            marks.push_back(
                {r.device, r.rep, *terminal, *r.seq, r.captured_at_ms, r.kind == "check_in"});
    });
    if (view == "plan") {
        // Plan against actual: each rep's day with a plan or a check-in.
        store::PlanStore plans(store.db());
        auto planned = plans.plan({}, core::first_day(o.period), core::last_day(o.period));
        auto today = core::china_day(core::unix_now_ms());
        auto days = core::plan_against_actual(planned, marks, o.period, today);
        if (o.format == "xlsx")
            return write_workbook("effectiveness", "effectiveness.plan", plan_rows(days), o.out);
        std::cout << "rep,day,planned,done,missed,unplanned\n";
        for (const auto& d : days)
            std::cout << fmt::format("{},{},{},{},{},{}\n", d.rep, core::format_date(d.day),
                                     d.planned, d.done, d.missed, d.unplanned);
        return 0;
    }
    auto report = core::field_effectiveness(std::move(marks), *master, o.period, o.targets);
    if (o.format == "xlsx")
        return write_workbook("effectiveness", "effectiveness." + view, view_rows(report, view),
                              o.out);

    if (view == "reps") {
        std::cout << "rep,day,visits,closed_visits,minutes_in_store\n";
        for (const auto& d : report.rep_days)
            std::cout << fmt::format("{},{},{},{},{:.0f}\n", d.rep, core::format_date(d.day),
                                     d.visits, d.closed_visits, d.minutes_in_store);
    } else if (view == "grades") {
        std::cout << "grade,terminals,target,on_target,coverage_percent,visits\n";
        for (const auto& g : report.grades)
            std::cout << fmt::format(
                "{},{},{},{},{:.0f},{}\n", g.grade, g.terminals, g.target, g.on_target,
                g.terminals ? 100.0 * g.on_target / g.terminals : 0.0, g.visits);
    } else {
        std::cout << "terminal,grade,visits,target\n";
        for (const auto& t : report.terminals)
            std::cout << fmt::format("{},{},{},{}\n", t.terminal, t.grade, t.visits, t.target);
    }
    return 0;
}

}  // namespace fieldflow::tools
