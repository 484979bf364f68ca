#include "store/plan_store.h"

#include <algorithm>
#include <map>
#include <span>
#include <tuple>

#include "core/digest.h"
#include "store/audit_log.h"

namespace fieldflow::store {

namespace {

// `position` is the plan CSV's `order`, a word SQL keeps for itself.
constexpr const char* schema = R"sql(
CREATE TABLE IF NOT EXISTS plan_imports (
  version INTEGER NOT NULL PRIMARY KEY, imported_at_ms INTEGER NOT NULL,
  source TEXT NOT NULL, imported_by TEXT NOT NULL, digest TEXT NOT NULL,
  visits INTEGER NOT NULL, days_replaced INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS plan_visits (
  rep_id TEXT NOT NULL, day INTEGER NOT NULL, position INTEGER NOT NULL,
  terminal_id TEXT NOT NULL, purpose TEXT NOT NULL,
  version INTEGER NOT NULL REFERENCES plan_imports(version),
  PRIMARY KEY (rep_id, day, position));
CREATE INDEX IF NOT EXISTS plan_visits_version ON plan_visits(rep_id, version);
CREATE INDEX IF NOT EXISTS plan_visits_day ON plan_visits(day);
)sql";

using DayKey = std::pair<std::string, core::Day>;

}  // namespace

PlanStore::PlanStore(sql::Database& db, Tables tables) : db_(db) {
    if (tables == Tables::existing) return;
    // In a writer's transaction: two processes creating the tables at once
    // would collide on PostgreSQL.
    sql::Transaction create(db_, sql::TransactionKind::write);
    db_.exec(schema);
    AuditLog::ensure_schema(db_);
    create.commit();
}

std::int64_t PlanStore::version() {
    return db_.query_int64("SELECT coalesce(max(version), 0) FROM plan_imports");
}

PlanImport PlanStore::import(const std::vector<core::PlannedVisit>& visits,
                             const std::string& source, const std::string& by, std::int64_t at_ms) {
    std::map<DayKey, std::vector<const core::PlannedVisit*>> days;
    for (const auto& v : visits) days[{v.rep, v.day}].push_back(&v);
    for (auto& [key, list] : days)
        std::sort(list.begin(), list.end(),
                  [](const auto* x, const auto* y) { return x->order < y->order; });

    sql::Transaction transaction(db_, sql::TransactionKind::write);
    PlanImport result;
    result.visits = visits.size();
    std::int64_t before = version();
    std::vector<DayKey> changed;
    {
        sql::Statement stored(db_,
                              "SELECT position, terminal_id, purpose FROM plan_visits "
                              "WHERE rep_id = ?1 AND day = ?2 ORDER BY position");
        for (const auto& [key, list] : days) {
            stored.bind(1, key.first).bind(2, std::int64_t{key.second});
            std::size_t i = 0;
            bool same = true;
            while (stored.step()) {
                if (i >= list.size() || stored.int64(0) != list[i]->order ||
                    stored.text_view(1) != list[i]->terminal ||
                    stored.text_view(2) != list[i]->purpose)
                    same = false;
                ++i;
            }
            if (!same || i != list.size())
                changed.push_back(key);
            else
                ++result.days_unchanged;
        }
    }
    result.days_replaced = changed.size();
    if (changed.empty()) {
        result.version = before;
        return result;
    }
    result.version = before + 1;
    result.created = true;
    // What the audit entry vouches for: the imported plan, as its CSV.
    std::string text = core::plan_csv(visits);
    std::string digest = core::hex(core::sha256(std::as_bytes(std::span(text))));
    sql::Statement header(db_,
                          "INSERT INTO plan_imports (version, imported_at_ms, source, "
                          "imported_by, digest, visits, days_replaced) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    header.bind(1, result.version)
        .bind(2, at_ms)
        .bind(3, source)
        .bind(4, by)
        .bind(5, digest)
        .bind(6, static_cast<std::int64_t>(visits.size()))
        .bind(7, static_cast<std::int64_t>(changed.size()))
        .exec();
    sql::Statement clear(db_, "DELETE FROM plan_visits WHERE rep_id = ?1 AND day = ?2");
    sql::Statement insert(db_,
                          "INSERT INTO plan_visits (rep_id, day, position, terminal_id, purpose, "
                          "version) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    for (const auto& key : changed) {
        clear.bind(1, key.first).bind(2, std::int64_t{key.second}).exec();
        for (const auto* v : days[key])
            insert.bind(1, v->rep)
                .bind(2, std::int64_t{v->day})
                .bind(3, v->order)
                .bind(4, v->terminal)
                .bind(5, v->purpose)
                .bind(6, result.version)
                .exec();
    }
    AuditLog audit(db_);
    audit.append(Audited::plan_import, result.version, by, "plan imported");
    transaction.commit();
    return result;
}

namespace {
// The planned visits a query of plan_visits selects with `planned_columns`.
constexpr const char* planned_columns =
    "SELECT rep_id, day, position, terminal_id, purpose FROM plan_visits ";
std::vector<core::PlannedVisit> planned(sql::Statement& q) {
    std::vector<core::PlannedVisit> out;
    while (q.step())
        out.push_back({q.text(0), static_cast<core::Day>(q.int64(1)), q.text(3), q.text(4),
                       static_cast<unsigned>(q.int64(2))});
    return out;
}
}  // namespace

std::vector<core::PlannedVisit> PlanStore::plan(const std::string& rep, core::Day from,
                                                core::Day to) {
    sql::Statement q(db_, std::string(planned_columns) +
                              (rep.empty() ? "WHERE day BETWEEN ?1 AND ?2 ORDER BY rep_id, day, "
                                             "position"
                                           : "WHERE day BETWEEN ?1 AND ?2 AND rep_id = ?3 "
                                             "ORDER BY day, position"));
    q.bind(1, std::int64_t{from}).bind(2, std::int64_t{to});
    if (!rep.empty()) q.bind(3, rep);
    return planned(q);
}

std::vector<core::PlannedVisit> PlanStore::plans_of(const std::set<std::string>& reps,
                                                    core::Day from, core::Day to) {
    if (reps.empty()) return {};
    std::string sql = std::string(planned_columns) + "WHERE day BETWEEN ?1 AND ?2 AND rep_id IN (";
    for (std::size_t i = 0; i < reps.size(); ++i) sql += (i ? ", ?" : "?") + std::to_string(i + 3);
    sql::Statement q(db_, sql + ")");
    q.bind(1, std::int64_t{from}).bind(2, std::int64_t{to});
    int parameter = 2;
    for (const auto& rep : reps) q.bind(++parameter, rep);
    return planned(q);
}

std::vector<core::Day> PlanStore::changed_days(const std::string& rep, std::int64_t since) {
    std::vector<core::Day> out;
    sql::Statement q(db_,
                     "SELECT DISTINCT day FROM plan_visits WHERE rep_id = ?1 AND version > ?2 "
                     "ORDER BY day");
    q.bind(1, rep).bind(2, since);
    while (q.step()) out.push_back(static_cast<core::Day>(q.int64(0)));
    return out;
}

}  // namespace fieldflow::store
