#pragma once
// Visit plans in the store. A plan is kept per rep and day; an import
// replaces each rep's day it names, whole, and leaves the others. The plan
// version is one counter: every import that changes at least one day makes
// the next version, and each day's rows carry the version that last wrote
// them. A device holding version N asks for the days written after N and
// replaces those: master data needs versions read back whole (a record is
// judged against the version in force), plans only "what changed since",
// so a counter is enough. Tables are documented in docs/data-formats.md.

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/visit_plan.h"
#include "store/sql.h"

namespace fieldflow::store {

struct PlanImport {
    std::int64_t version = 0;  // the new version; or the latest, when nothing changed
    bool created = false;      // false: every day equals the plan in force
    std::size_t days_replaced = 0, days_unchanged = 0, visits = 0;
};

struct PlanDay {
    std::string rep;
    core::Day day = 0;
};

class PlanStore {
  public:
    // `create`: makes the tables when the store has none yet, in a writer's
    // transaction; `existing`, for a reader beside a gateway that made them.
    enum class Tables { create, existing };
    explicit PlanStore(sql::Database& db, Tables tables = Tables::create);

    // The newest plan version; 0 when no plan was imported yet.
    std::int64_t version();

    // Replaces each (rep, day) of `visits` with its visits, in one
    // transaction of its own, with an audit entry; a new version only when
    // a day changed.
    PlanImport import(const std::vector<core::PlannedVisit>& visits, const std::string& source,
                      const std::string& by, std::int64_t at_ms);

    // The plan of `rep` (every rep when empty) from `from` to `to`, both
    // included, by rep, day and order: one indexed range read.
    std::vector<core::PlannedVisit> plan(const std::string& rep, core::Day from, core::Day to);
    // The plans of every one of `reps` from `from` to `to`, in one read.
    std::vector<core::PlannedVisit> plans_of(const std::set<std::string>& reps, core::Day from,
                                             core::Day to);

    // The days of `rep` written by a version after `since`, for a device
    // holding version `since`: it replaces each of them with plan().
    std::vector<core::Day> changed_days(const std::string& rep, std::int64_t since);

  private:
    sql::Database& db_;
};

}  // namespace fieldflow::store
