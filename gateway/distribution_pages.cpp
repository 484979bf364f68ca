#include "gateway/distribution_pages.h"

#include "core/clock.h"
#include "core/ledger.h"
#include "core/ledger_json.h"
#include "schemas/record_codec.h"
#include "store/distribution_store.h"
#include "gateway/plan_pages.h"
#include "store/plan_store.h"

namespace fieldflow::gateway {

using nlohmann::json;

std::string DistributionPages::books_fingerprint() {
    // Book rows are only ever added: the newest of each table, and the
    // number of openings (keyed by holder, product and period), tell a change.
    store::sql::Statement q(store_.db(),
                            "SELECT (SELECT coalesce(max(id), 0) FROM book_sources), "
                            "(SELECT coalesce(max(id), 0) FROM flows), "
                            "(SELECT coalesce(max(id), 0) FROM shipments), "
                            "(SELECT coalesce(max(id), 0) FROM stock_reports), "
                            "(SELECT count(*) FROM openings), "
                            "(SELECT coalesce(max(id), 0) FROM period_log), "
                            "(SELECT coalesce(max(id), 0) FROM flow_adjustments)");
    q.step();
    std::string fingerprint;
    for (int i = 0; i < q.columns(); ++i) fingerprint += std::to_string(q.int64(i)) + ",";
    return fingerprint;
}

json DistributionPages::ledger(core::Period period) {
    // A new master-data version may add or remove a holder.
    auto master = master_.now();
    auto fingerprint = books_fingerprint() + "master " + std::to_string(master->version);
    if (fingerprint != ledger_fingerprint_) {
        ledgers_.clear();
        ledger_fingerprint_ = fingerprint;
    }
    if (auto kept = ledgers_.find(period); kept != ledgers_.end()) return kept->second;
    store::DistributionStore books(db_path_);
    auto book = books.load();
    auto ledger = core::build_ledger(book, master->data, period);
    json channel = json::array();
    for (const auto& c : ledger.channel)
        if (c.period == period)
            channel.push_back(
                {{"product", book.names.text(c.product)}, {"channel_stock", c.closing}});
    json out{{"period", core::format_period(period)},
             {"rows", core::holder_rows(ledger, book, period)},
             {"channel", channel}};
    return ledgers_[period] = std::move(out);
}

json DistributionPages::effectiveness(core::Period period, const core::VisitTargets& targets) {
    // Visits arrive all day: read them again when records were added, and
    // not more than twice a minute.
    auto now = core::unix_now_ms();
    if (now - visits_read_at_ms_ >= 30'000) {
        auto seen = store_.db().query_int64("SELECT coalesce(max(id), 0) FROM records");
        if (seen != visits_seen_) reports_.clear();
        visits_seen_ = seen;
        visits_read_at_ms_ = now;
    }
    // A new master-data version may regrade or add terminals.
    auto master = master_.now();
    std::string key = core::format_period(period) + "/" + std::to_string(targets.a) + "," +
                      std::to_string(targets.b) + "," + std::to_string(targets.c) + "/" +
                      std::to_string(master->version);
    // A plan imported changes the plan against actual.
    store::PlanStore plans(store_.db(), store::PlanStore::Tables::existing);
    // ... and so does a day ending: its planned visits not done are missed.
    key +=
        "/plan " + std::to_string(plans.version()) + " on " + std::to_string(core::china_day(now));
    if (auto kept = reports_.find(key); kept != reports_.end()) return kept->second;

    std::vector<core::VisitMark> marks;
    store_.for_each_record([&](const store::StoredRecord& r) {
        if (!r.seq || r.outcome == core::Outcome::rejected) return;
        if (r.kind != "check_in" && r.kind != "check_out") return;
        auto decoded = wire::decode_record(r.raw);
        if (!decoded.record) return;
        if (auto terminal = core::visit_terminal(decoded.record->payload))
            marks.push_back(
                {r.device, r.rep, *terminal, *r.seq, r.captured_at_ms, r.kind == "check_in"});
    });
    json plan = plan_against_actual(plans.plan({}, core::first_day(period), core::last_day(period)),
                                    marks, period, core::china_day(now));
    auto report = core::field_effectiveness(std::move(marks), master->data, period, targets);
    json grades = json::array(), reps = json::array(), terminals = json::array();
    for (const auto& g : report.grades)
        grades.push_back({{"grade", std::string(1, g.grade)},
                          {"terminals", g.terminals},
                          {"target", g.target},
                          {"on_target", g.on_target},
                          {"visits", g.visits}});
    for (const auto& d : report.rep_days)
        reps.push_back({{"rep", d.rep},
                        {"day", core::format_date(d.day)},
                        {"visits", d.visits},
                        {"closed_visits", d.closed_visits},
                        {"minutes_in_store", d.minutes_in_store}});
    for (const auto& t : report.terminals)
        terminals.push_back({{"terminal", t.terminal},
                             {"grade", std::string(1, t.grade)},
                             {"visits", t.visits},
                             {"target", t.target}});
    json out{{"period", core::format_period(period)},
             {"targets", {{"A", targets.a}, {"B", targets.b}, {"C", targets.c}}},
             {"grades", grades},
             {"reps", reps},
             {"terminals", terminals},
             {"plan", plan}};
    return reports_[key] = std::move(out);
}

}  // namespace fieldflow::gateway
