#include "core/report_rules.h"

#include <doctest/doctest.h>

#include "core/visit_rules.h"

using namespace fieldflow::core;

namespace {

MasterData distributors_and_reps() {
    MasterData m;
    m.products["P1"] = Product{"P1", "阿莫西林胶囊", "", "盒", "6901234567892", "8612345"};
    m.distributors["D1"] = Distributor{"D1", "国药控股上海", 1, {"CN-SH"}};
    m.distributors["D9"] = Distributor{"D9", "华东医药", 1, {"CN-ZJ"}};
    m.reps["R1"] = Rep{"R1", "王芳", RepRole::retail, "CN-SH", "dev-001"};
    m.reps["R6"] = Rep{"R6", "周军", RepRole::commercial, "CN-SH", "dev-006"};
    return m;
}

Verdict judge(Payload p, std::string rep = "R1",
              std::optional<OpenVisit> open = OpenVisit{"T1", 1}) {
    return validate(Record{"dev-001", 5, std::move(rep), 0, std::move(p)}, distributors_and_reps(),
                    open);
}

}  // namespace

TEST_CASE("report rules: complete reports in the open visit are accepted") {
    CHECK(judge(TerminalSales{"T1", "P1", 14, "2026-11-01"}).outcome() == Outcome::accepted);
    CHECK(judge(Purchase{"T1", "P1", "L1", 40, "D1"}).outcome() == Outcome::accepted);
    CHECK(judge(Promotion{"T1", "P1", "discount", 2990, "2026-11-01", "2026-11-30"}).outcome() ==
          Outcome::accepted);
    CHECK(judge(Display{"T1", "P1", true, 6, "end_cap", "shelf.jpg", std::string(64, 'a')})
              .outcome() == Outcome::accepted);
    CHECK(judge(Competitor{"T1", "葵花药业", "小儿肺热咳喘口服液", 3600, "买二送一"}).outcome() ==
          Outcome::accepted);
}

TEST_CASE("report rules: a report outside an open visit at its terminal is flagged") {
    CHECK(
        judge(TerminalSales{"T1", "P1", 1, ""}, "R1", std::nullopt).has(ReasonCode::no_open_visit));
    CHECK(judge(Competitor{"T2", "某品牌", "x", 0, ""}).has(ReasonCode::no_open_visit));
}

TEST_CASE(
    "report rules: unknown products and suppliers, negative figures and bad dates are rejected") {
    CHECK(judge(TerminalSales{"T1", "P9", 1, ""}).has(ReasonCode::unknown_product));
    CHECK(judge(Purchase{"T1", "P1", "", 5, "D404"}).has(ReasonCode::unknown_distributor));
    CHECK(judge(Purchase{"T1", "P1", "", -5, "D1"}).has(ReasonCode::negative_quantity));
    auto bad_date = judge(TerminalSales{"T1", "P1", 1, "2026-02-30"});
    CHECK(bad_date.outcome() == Outcome::rejected);
    CHECK(bad_date.reasons[0].detail.find("since is not a date") != std::string::npos);
    auto backwards = judge(Promotion{"T1", "P1", "gift", 0, "2026-12-01", "2026-11-01"});
    CHECK(backwards.has(ReasonCode::invalid_field));
    CHECK(judge(Promotion{"T1", "P1", "lottery", 0, "2026-11-01", "2026-11-02"})
              .has(ReasonCode::invalid_field));
    CHECK(judge(Promotion{"T1", "P1", "gift", -1, "2026-11-01", "2026-11-02"})
              .has(ReasonCode::invalid_field));
}

TEST_CASE("report rules: a display needs a known shelf position and a real photo hash") {
    CHECK(judge(Display{"T1", "P1", false, 3, "floor", "", ""}).has(ReasonCode::invalid_field));
    CHECK(
        judge(Display{"T1", "P1", false, 3, "eye", "a.jpg", "abc"}).has(ReasonCode::invalid_field));
    CHECK(judge(Display{"T1", "P1", false, -1, "eye", "", ""}).has(ReasonCode::invalid_field));
    CHECK(judge(Display{"T1", "P1", false, 3, "eye", "", ""}).outcome() == Outcome::accepted);
}

TEST_CASE(
    "report rules: distributor stock needs no visit, but a commercial rep of that territory") {
    DistributorStock own{"D1", "P1", "L1", 120, "2026-11-20", ""};
    CHECK(judge(own, "R6", std::nullopt).outcome() == Outcome::accepted);
    CHECK(judge(own, "R1", std::nullopt).has(ReasonCode::outside_territory));
    CHECK(judge(DistributorStock{"D9", "P1", "", 1, "2026-11-20", ""}, "R6", std::nullopt)
              .has(ReasonCode::outside_territory));
    CHECK(judge(DistributorStock{"D404", "P1", "", 1, "2026-11-20", ""}, "R6", std::nullopt)
              .has(ReasonCode::unknown_distributor));
}
