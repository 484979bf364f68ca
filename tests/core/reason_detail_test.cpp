#include "core/reason_detail.h"

#include <doctest/doctest.h>

#include "core/report_rules.h"
#include "core/travel_rules.h"
#include "core/visit_rules.h"

namespace reason_detail_test {

using namespace fieldflow::core;

// What the rule wrote, read back in Chinese; the rule must have written one.
std::string chinese(const std::optional<Reason>& reason) {
    REQUIRE(reason.has_value());
    auto text = chinese_detail(reason->detail);
    INFO("detail: ", reason->detail);
    REQUIRE(text.has_value());
    return *text;
}

Terminal pharmacy() {
    return Terminal{
        "T1", "老百姓大药房", TerminalKind::pharmacy, "CN-SH-PD", 31.2304, 121.5060, 100, 'A'};
}

// 2026-12-01 09:12 in China Standard Time.
constexpr std::int64_t at_0912 = 1'796'087'520'000;

}  // namespace reason_detail_test

using namespace reason_detail_test;

TEST_CASE("reason detail: a negative count reads in Chinese with its number") {
    CHECK(chinese(quantity_not_negative(-3)) == "数量 -3 为负数");
    CHECK(chinese(not_negative(-2, "facings")) == "facings -2 为负数");
}

TEST_CASE("reason detail: a check-in away from the store names the distance, fence and fix") {
    CheckIn far{"T1", 31.2358, 121.5060, 20};
    CHECK(chinese(within_geofence(pharmacy(), far)) ==
          "距终端 T1 600 米（围栏半径 100 米，定位精度 20 米）");
    far.reason = "药店搬到对面\n二楼";
    CHECK(chinese(within_geofence(pharmacy(), far)) ==
          "距终端 T1 600 米（围栏半径 100 米，定位精度 20 米）；代表说明：药店搬到对面\n二楼");
    CHECK(chinese(within_geofence(pharmacy(), CheckIn{"T1", 91, 0, 5})) == "定位没有有效坐标");
}

TEST_CASE("reason detail: the fix's judgements read in Chinese") {
    CheckIn in{"T1", 31.2304, 121.5060, 300};
    in.fix = FixJudgement::stale;
    in.fix_age_ms = 95'000;
    CHECK(chinese(fix_trusted(in)) == "定位已过时 95 秒");
    in.fix = FixJudgement::none;
    CHECK(chinese(fix_trusted(in)) == "接收机没有定位");
    in.fix = FixJudgement::low_accuracy;
    CHECK(chinese(fix_trusted(in)) == "定位精度只有 300 米");
}

TEST_CASE("reason detail: visits, corrections and master data read in Chinese") {
    CHECK(chinese(inside_open_visit("T1", std::nullopt)) == "没有进行中的拜访");
    CHECK(chinese(inside_open_visit("T1", OpenVisit{"T2", 4})) == "进行中的拜访在 T2，不在 T1");
    CHECK(chinese(closes_open_visit(CheckOut{"T1", 4, false}, OpenVisit{"T2", 4})) ==
          "进行中的拜访在 T2，不在 T1");
    Record r{"dev-001", 9, "R1", 0, StockCount{"T1", "P1", "", 3}};
    r.corrects = 4;
    CHECK(chinese(correction_known(r, {})) == "网关没有设备 dev-001 的记录 4");
    r.corrects = 12;
    CHECK(chinese(correction_known(r, {})) == "记录 12 不早于本记录");
    MasterData none;
    CHECK(chinese(rep_known(none, "R9")) == "代表“R9”不在主数据中");
    CHECK(chinese(terminal_known(none, "T9")) == "终端“T9”不在主数据中");
    CHECK(chinese(product_known(none, "P9")) == "产品“P9”不在主数据中");
    Rep rep{"R1", "王芳", RepRole::retail, "CN-BJ", "dev-001"};
    CHECK(chinese(within_territory(rep, pharmacy())) ==
          "终端 T1 属于 CN-SH-PD，代表 R1 负责 CN-BJ");
}

TEST_CASE("reason detail: travel and short visits read in Chinese, durations too") {
    VisitPoint from{1, at_0912, "T1", 31.2304, 121.5060};
    VisitPoint to{2, at_0912 + 10 * 60'000, "T9", 31.6804, 121.5060};
    CHECK(chinese(travel_possible(from, to, TravelLimits{})) ==
          "从 09:12 的 T1 出发，10 分钟 内移动 50.0 公里（300 公里/小时）");
    TravelLimits limits;
    limits.min_visit_minutes = 5;
    CHECK(chinese(visit_long_enough(from, at_0912 + 40'000, limits)) ==
          "09:12 在 T1 签到后 40 秒 即签退（至少 5 分钟）");
}

TEST_CASE("reason detail: a report's fields read in Chinese") {
    CHECK(chinese(date_order("2026-12-05", "2026-12-01")) ==
          "结束日期（2026-12-01）早于开始日期（2026-12-05）");
    CHECK(chinese(valid_date("12/01", "since")) == "since 不是 YYYY-MM-DD 格式的日期：“12/01”");
}

TEST_CASE("reason detail: a detail of a form no rule writes has no Chinese") {
    CHECK_FALSE(chinese_detail("something a newer gateway says").has_value());
    CHECK_FALSE(chinese_detail("").has_value());
    CHECK_FALSE(chinese_detail("qty three is negative").has_value());
}
