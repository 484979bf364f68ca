#include "core/reason.h"

#include <doctest/doctest.h>

#include <set>

using namespace fieldflow::core;

TEST_CASE("reason: every code has a stable name of its own that reads back") {
    std::set<std::string_view> seen;
    for (auto code : all_reason_codes) {
        CAPTURE(name(code));
        CHECK(name(code) != "unknown");
        CHECK(reason_from_name(name(code)) == code);
        CHECK(seen.insert(name(code)).second);
    }
    CHECK(seen.size() == all_reason_codes.size());
    CHECK(name(ReasonCode::outside_geofence) == "outside_geofence");
    CHECK(name(static_cast<ReasonCode>(all_reason_codes.size())) == "unknown");
    CHECK_FALSE(reason_from_name("no_such_reason").has_value());
    CHECK_FALSE(reason_from_name("unknown").has_value());
}

TEST_CASE("reason: every code has a Chinese name of its own, in the terms of the trade") {
    std::set<std::string_view> seen;
    for (auto code : all_reason_codes) {
        CAPTURE(name(code));
        CHECK(!chinese_name(code).empty());
        CHECK(seen.insert(chinese_name(code)).second);
    }
    CHECK(chinese_name(ReasonCode::diversion) == "窜货");
    CHECK(chinese_name(ReasonCode::unknown_distributor) == "未知经销商");
    CHECK(chinese_name(ReasonCode::unmatched_checkout) == "签退无对应签到");
    CHECK(chinese_name(static_cast<ReasonCode>(all_reason_codes.size())).empty());
}

TEST_CASE("reason: a verdict takes the worst severity among its reasons") {
    Verdict verdict;
    CHECK(verdict.outcome() == Outcome::accepted);
    verdict.add(ReasonCode::outside_geofence, "412 m");
    CHECK(verdict.outcome() == Outcome::flagged);
    verdict.add(ReasonCode::unknown_product);
    CHECK(verdict.outcome() == Outcome::rejected);
    CHECK(verdict.has(ReasonCode::outside_geofence));
    CHECK_FALSE(verdict.has(ReasonCode::no_open_visit));
}

TEST_CASE("reason: adding an empty optional adds nothing") {
    Verdict verdict;
    verdict.add(std::optional<Reason>{});
    CHECK(verdict.reasons.empty());
}
