#include "core/territory_scope.h"

#include <doctest/doctest.h>

using fieldflow::core::MasterData;
using fieldflow::core::TerritoryScope;

namespace {

MasterData two_provinces() {
    MasterData m;
    auto terminal = [&](const std::string& id, const std::string& territory) {
        m.terminals[id].id = id;
        m.terminals[id].territory = territory;
    };
    auto rep = [&](const std::string& id, const std::string& territory) {
        m.reps[id].id = id;
        m.reps[id].territory = territory;
    };
    terminal("T-PD", "CN-SH-PD");
    terminal("T-HZ", "CN-ZJ-HZ");
    rep("R-SH", "CN-SH");
    rep("R-ZJ", "CN-ZJ");
    m.distributors["D-SH"] = {.id = "D-SH", .name = "Shanghai", .territories = {"CN-SH-PD"}};
    m.distributors["D-CN"] = {.id = "D-CN", .name = "National", .territories = {"CN"}};
    m.distributors["D-ZJ"] = {.id = "D-ZJ", .name = "Zhejiang", .territories = {"CN-ZJ"}};
    return m;
}

}  // namespace

TEST_CASE("territory scope: no territories see everything, even what master data lacks") {
    TerritoryScope all;
    auto m = two_provinces();
    CHECK(all.everything());
    CHECK(all.terminal(m, "T-HZ"));
    CHECK(all.terminal(m, "unknown"));
    CHECK(all.record(m, "", "unknown"));
}

TEST_CASE("territory scope: a record goes by its terminal, else by its rep") {
    TerritoryScope shanghai(std::vector<std::string>{"CN-SH"});
    auto m = two_provinces();
    CHECK(shanghai.record(m, "T-PD", "R-ZJ"));
    CHECK_FALSE(shanghai.record(m, "T-HZ", "R-SH"));
    CHECK(shanghai.record(m, "", "R-SH"));
    CHECK(shanghai.record(m, "removed", "R-SH"));
    CHECK_FALSE(shanghai.record(m, "", "R-ZJ"));
    CHECK_FALSE(shanghai.record(m, "", "unknown"));
}

TEST_CASE("territory scope: a distributor is in when its territories and the scope overlap") {
    auto m = two_provinces();
    TerritoryScope shanghai(std::vector<std::string>{"CN-SH"});
    CHECK(shanghai.distributor(m, "D-SH"));
    CHECK(shanghai.distributor(m, "D-CN"));
    CHECK_FALSE(shanghai.distributor(m, "D-ZJ"));
    CHECK_FALSE(shanghai.distributor(m, "unknown"));
    TerritoryScope two(std::vector<std::string>{"CN-ZJ-HZ", "CN-SH-PD"});
    CHECK(two.distributor(m, "D-ZJ"));
    CHECK(two.terminal(m, "T-HZ"));
    CHECK_FALSE(two.rep(m, "R-SH"));
}
