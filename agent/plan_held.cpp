#include "agent/plan_held.h"

#include <SQLiteCpp/Statement.h>

#include <stdexcept>

#include "core/effectiveness.h"

namespace fieldflow::agent {

std::optional<HeldPlan> held_plan(SQLite::Database& db) {
    SQLite::Statement q(db, "SELECT version, first_day, last_day FROM plan_held WHERE id = 1");
    if (!q.executeStep()) return std::nullopt;
    return HeldPlan{static_cast<std::uint64_t>(q.getColumn(0).getInt64()), q.getColumn(1).getInt(),
                    q.getColumn(2).getInt()};
}

std::uint64_t plan_version_to_ask(SQLite::Database& db, std::int64_t now_ms) {
    auto held = held_plan(db);
    // The window starts yesterday: one made on another day is asked for again.
    if (!held || held->first + 1 != core::china_day(now_ms)) return 0;
    return held->version;
}

PlanApplied apply_plan(SQLite::Database& db, wire::PlanDelta::Reader delta) {
    if (delta.getLastDay() < delta.getFirstDay() || delta.getLastDay() - delta.getFirstDay() > 366)
        throw std::runtime_error("a plan from day " + std::to_string(delta.getFirstDay()) +
                                 " to day " + std::to_string(delta.getLastDay()));
    db.exec("DELETE FROM plan_visits");
    SQLite::Statement insert(db,
                             "INSERT INTO plan_visits (day, position, terminal, purpose) "
                             "VALUES (?1, ?2, ?3, ?4)");
    PlanApplied applied{delta.getFromVersion(), delta.getToVersion(), 0};
    for (auto v : delta.getVisits()) {
        if (v.getDay() < delta.getFirstDay() || v.getDay() > delta.getLastDay() ||
            v.getOrder() == 0 || v.getTerminal().size() == 0)
            throw std::runtime_error("a planned visit of day " + std::to_string(v.getDay()) +
                                     ", order " + std::to_string(v.getOrder()) +
                                     ", outside the plan's days or without a terminal");
        insert.bind(1, v.getDay());
        insert.bind(2, static_cast<std::int64_t>(v.getOrder()));
        insert.bind(3, v.getTerminal().cStr());
        insert.bind(4, v.getPurpose().cStr());
        try {
            insert.exec();
        } catch (const SQLite::Exception&) {
            throw std::runtime_error("the plan repeats order " + std::to_string(v.getOrder()) +
                                     " of day " + core::format_date(v.getDay()));
        }
        insert.reset();
        ++applied.visits;
    }
    SQLite::Statement held(db,
                           "INSERT OR REPLACE INTO plan_held (id, version, first_day, last_day) "
                           "VALUES (1, ?1, ?2, ?3)");
    held.bind(1, static_cast<std::int64_t>(applied.to));
    held.bind(2, delta.getFirstDay());
    held.bind(3, delta.getLastDay());
    held.exec();
    return applied;
}

std::vector<core::PlannedVisit> held_visits(SQLite::Database& db, core::Day from, core::Day to) {
    SQLite::Statement q(db,
                        "SELECT day, position, terminal, purpose FROM plan_visits "
                        "WHERE day BETWEEN ?1 AND ?2 ORDER BY day, position");
    q.bind(1, from);
    q.bind(2, to);
    std::vector<core::PlannedVisit> out;
    while (q.executeStep())
        out.push_back({"", q.getColumn(0).getInt(), q.getColumn(2).getString(),
                       q.getColumn(3).getString(),
                       static_cast<unsigned>(q.getColumn(1).getInt64())});
    return out;
}

}  // namespace fieldflow::agent
