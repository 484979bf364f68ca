// Visit plans in the store: a day replaced whole, a version only when a day
// changed, what changed since a version, and the import in the audit log.

#include "store/plan_store.h"

#include <doctest/doctest.h>

#include "store/audit_log.h"
#include "store/gateway_store.h"
#include "store/store_file.h"

using namespace fieldflow;
using fieldflow::test::StoreFile;

namespace {

const core::Day monday = *core::parse_date("2026-03-02");

std::vector<core::PlannedVisit> day(const std::string& rep, core::Day on,
                                    std::vector<std::string> terminals) {
    std::vector<core::PlannedVisit> visits;
    unsigned order = 0;
    for (auto& t : terminals) visits.push_back({rep, on, t, "例行拜访", ++order});
    return visits;
}

std::vector<core::PlannedVisit> operator+(std::vector<core::PlannedVisit> a,
                                          const std::vector<core::PlannedVisit>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

std::vector<std::string> terminals(const std::vector<core::PlannedVisit>& visits) {
    std::vector<std::string> out;
    for (const auto& v : visits) out.push_back(v.terminal);
    return out;
}

}  // namespace

TEST_CASE("plan store: an import replaces the days it names and leaves the others") {
    StoreFile file;
    auto db = store::sql::Database::open(file.location);
    store::PlanStore plans(*db);
    CHECK(plans.version() == 0);

    auto first = plans.import(day("R1", monday, {"T1", "T2", "T3"}) +
                                  day("R1", monday + 1, {"T4"}) + day("R2", monday, {"T9"}),
                              "march.csv", "chen", 1000);
    CHECK(first.created);
    CHECK(first.version == 1);
    CHECK(first.days_replaced == 3);
    CHECK(first.visits == 5);
    CHECK(terminals(plans.plan("R1", monday, monday)) ==
          std::vector<std::string>{"T1", "T2", "T3"});

    // Monday again with two stops: the third one goes; Tuesday stays.
    auto second = plans.import(day("R1", monday, {"T2", "T1"}) + day("R2", monday, {"T9"}),
                               "monday.csv", "wang", 2000);
    CHECK(second.version == 2);
    CHECK(second.days_replaced == 1);
    CHECK(second.days_unchanged == 1);
    CHECK(terminals(plans.plan("R1", monday, monday + 1)) ==
          std::vector<std::string>{"T2", "T1", "T4"});
    CHECK(terminals(plans.plan({}, monday, monday)) == std::vector<std::string>{"T2", "T1", "T9"});
    auto visits = plans.plan("R1", monday, monday);
    CHECK(visits[0] == core::PlannedVisit{"R1", monday, "T2", "例行拜访", 1});

    // A device holding version 1 replaces Monday only.
    CHECK(plans.changed_days("R1", 1) == std::vector<core::Day>{monday});
    CHECK(plans.changed_days("R1", 0) == std::vector<core::Day>{monday, monday + 1});
    CHECK(plans.changed_days("R2", 1).empty());
    CHECK(plans.changed_days("R1", 2).empty());
}

TEST_CASE("plan store: the same plan again makes no version") {
    StoreFile file;
    auto db = store::sql::Database::open(file.location);
    store::PlanStore plans(*db);
    REQUIRE(plans.import(day("R1", monday, {"T1", "T2"}), "a.csv", "chen", 1000).created);
    auto again = plans.import(day("R1", monday, {"T1", "T2"}), "a.csv", "chen", 2000);
    CHECK_FALSE(again.created);
    CHECK(again.version == 1);
    CHECK(again.days_unchanged == 1);
    CHECK(plans.version() == 1);
    // Another purpose is another plan.
    auto changed = day("R1", monday, {"T1", "T2"});
    changed[1].purpose = "新品推广";
    CHECK(plans.import(changed, "b.csv", "chen", 3000).version == 2);
}

TEST_CASE("plan store: each import is in the audit log, and a changed import row breaks it") {
    StoreFile file;
    store::GatewayStore{file.location};  // the tables verify() reads
    auto db = store::sql::Database::open(file.location);
    store::PlanStore plans(*db);
    plans.import(day("R1", monday, {"T1"}), "a.csv", "chen", 1000);
    store::AuditLog audit(*db);
    auto report = audit.verify();
    CHECK(report.entries == 1);
    CHECK_FALSE(report.problem);
    CHECK(db->query_int64("SELECT count(*) FROM audit_log WHERE target = 'plan_imports' AND "
                          "actor = 'chen' AND action = 'plan imported'") == 1);
    db->exec("UPDATE plan_imports SET imported_by = 'someone else'");
    auto broken = audit.verify();
    REQUIRE(broken.problem);
    CHECK(broken.problem->what == "plan_imports row 1 was changed");
}
