// `fieldflow plan import|generate|list`: visit plans (拜访计划) in the store.
// An import reads the plan CSV, checks every row against the master data in
// force in the store and applies nothing when a row is bad; each rep's day
// it names replaces that day. A proposal is the import's CSV, for an
// operator to edit and import, or applied at once. docs/operations.md.

#include <nlohmann/json.hpp>
#include <spdlog/fmt/fmt.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "core/clock.h"
#include "core/plan_proposal.h"
#include "core/text_encoding.h"
#include "core/visit_plan.h"
#include "store/master_store.h"
#include "store/plan_store.h"
#include "tools/bad_rows.h"
#include "tools/commands.h"
#include "tools/human_text.h"

namespace fieldflow::tools {

namespace {

// The master data in force in the store; nullopt, after saying why, when
// none was imported.
std::optional<core::MasterData> master_in_store(const std::string& command,
                                                store::sql::Database& db) {
    store::MasterStore master(db);
    auto latest = master.latest();
    if (latest == 0) {
        std::cerr << "fieldflow plan " << command << ": the store at " << db.location()
                  << " has no master data; import it first (fieldflow master import DIR --db "
                  << db.location() << ")\n";
        return std::nullopt;
    }
    return master.load(latest);
}

int apply(store::sql::Database& db, const std::vector<core::PlannedVisit>& visits,
          const std::string& source, const std::string& by) {
    store::PlanStore plans(db);
    auto imported = plans.import(visits, source, operator_name(by), core::unix_now_ms());
    if (!imported.created) {
        std::cout << source << ": the same as the plan in force (version " << imported.version
                  << "); no new version\n";
        return 0;
    }
    std::cout << "plan version " << imported.version << " from " << source << ": "
              << imported.days_replaced << (imported.days_replaced == 1 ? " day" : " days")
              << " replaced, " << imported.days_unchanged << " unchanged, " << imported.visits
              << " visits\n";
    return 0;
}

int import_plan(const PlanOptions& o) {
    if (!std::filesystem::is_regular_file(o.file)) {
        std::cerr << "fieldflow plan import: cannot read " << o.file << '\n';
        return 1;
    }
    std::unique_ptr<std::istream> in;
    try {
        in = core::open_text(o.file, o.encoding == "gbk");
    } catch (const core::EncodingError& error) {
        std::cerr << "fieldflow plan import: " << o.file << ": not GBK text at byte "
                  << error.offset << "; nothing imported\n";
        return 1;
    }
    if (!existing_store("plan import", o.db)) return 1;
    auto db = store::sql::Database::open(o.db);
    auto master = master_in_store("import", *db);
    if (!master) return 1;
    auto load = core::read_plan_csv(*in, o.file, *master);
    if (!load.errors.empty()) {
        auto language = language_from_environment();
        print_bad_rows(std::cerr, load.errors, language);
        print_nothing_imported(std::cerr, "plan import", load.errors.size(), language);
        return 1;
    }
    if (load.visits.empty()) {
        std::cerr << "fieldflow plan import: " << o.file << " has no rows; nothing imported\n";
        return 1;
    }
    return apply(*db, load.visits, o.file, o.by);
}

int generate_plan(const PlanOptions& o) {
    if (!existing_store("plan generate", o.db)) return 1;
    auto db = store::sql::Database::open(o.db);
    auto master = master_in_store("generate", *db);
    if (!master) return 1;
    auto days = core::working_days(o.month);
    auto proposal = core::propose_plan(*master, o.targets, days);
    if (!proposal.unassigned.empty()) {
        std::cerr << "fieldflow plan generate: warning: " << proposal.unassigned.size()
                  << " terminals lie in no territory of a rep who visits terminals and get no "
                     "visits:";
        for (const auto& id : proposal.unassigned) std::cerr << ' ' << id;
        std::cerr << '\n';
    }
    if (proposal.visits_short)
        std::cerr << "fieldflow plan generate: warning: " << proposal.visits_short
                  << " visits due did not fit the month's working days\n";
    std::cerr << fmt::format(
        "fieldflow plan generate: {} visits over {} working days of {}; daily routes {:.1f} km "
        "in all\n",
        proposal.visits.size(), days.size(), core::format_period(o.month),
        core::plan_route_length_m(proposal.visits, *master) / 1000.0);
    std::string text = core::plan_csv(proposal.visits);
    if (!o.out.empty()) {
        std::ofstream out(o.out, std::ios::binary);
        out << text;
        if (!out.flush()) {
            std::cerr << "fieldflow plan generate: cannot write " << o.out << '\n';
            return 1;
        }
    }
    if (o.apply) {
        if (proposal.visits.empty()) {
            std::cerr << "fieldflow plan generate: nothing to apply\n";
            return 1;
        }
        return apply(*db, proposal.visits,
                     o.out.empty() ? "generated for " + core::format_period(o.month) : o.out, o.by);
    }
    if (o.out.empty()) std::cout << text;
    return 0;
}

int list_plan(const PlanOptions& o) {
    if (!existing_store("plan list", o.db)) return 1;
    auto db = store::sql::Database::open(o.db);
    store::PlanStore plans(*db);
    auto version = plans.version();
    auto visits = plans.plan(o.rep, o.date, o.date);
    store::MasterStore master_store(*db);
    auto master = master_store.load(master_store.latest());
    auto terminal_name = [&](const std::string& id) {
        const auto* t = master.terminal(id);
        return t ? t->name : std::string();
    };
    if (o.json) {
        auto list = nlohmann::json::array();
        for (const auto& v : visits)
            list.push_back({{"rep", v.rep},
                            {"date", core::format_date(v.day)},
                            {"order", v.order},
                            {"terminal", v.terminal},
                            {"terminal_name", terminal_name(v.terminal)},
                            {"purpose", v.purpose}});
        std::cout << nlohmann::json{{"plan_version", version}, {"visits", list}}.dump() << '\n';
        return 0;
    }
    bool chinese = language_from_environment() == Language::chinese;
    std::string date = core::format_date(o.date);
    std::string who = o.rep.empty() ? (chinese ? "所有代表" : "any rep") : o.rep;
    if (visits.empty()) {
        std::cout << (chinese ? who + " 在 " + date + " 没有拜访计划\n"
                              : "no plan for " + who + " on " + date + "\n");
        return 0;
    }
    std::string rep;
    for (const auto& v : visits) {
        if (v.rep != rep) {
            rep = v.rep;
            std::size_t count = 0;
            for (const auto& w : visits) count += w.rep == rep;
            const auto* r = master.rep(rep);
            std::string name = r ? " " + r->name : "";
            std::cout << (chinese
                              ? fmt::format("{}{} {} 计划拜访 {} 家(计划版本 {})\n", rep, name,
                                            date, count, version)
                              : fmt::format("{}{} {}: {} planned {} (plan version {})\n", rep, name,
                                            date, count, count == 1 ? "visit" : "visits", version));
        }
        std::cout << "  " << pad_left(std::to_string(v.order), 3) << "  "
                  << pad_right(v.terminal, 8) << "  " << pad_right(terminal_name(v.terminal), 28)
                  << "  " << v.purpose << '\n';
    }
    return 0;
}

}  // namespace

int plan_command(const PlanOptions& o) {
    try {
        if (o.action == "import") return import_plan(o);
        if (o.action == "generate") return generate_plan(o);
        return list_plan(o);
    } catch (const std::exception& e) {
        std::cerr << "fieldflow plan " << o.action << ": " << e.what() << '\n';
        return 1;
    }
}

}  // namespace fieldflow::tools
