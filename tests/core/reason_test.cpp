#include "core/reason.h"

#include <doctest/doctest.h>

using namespace fieldflow::core;

TEST_CASE("reason: every code has a stable name that reads back") {
    for (auto code :
         {ReasonCode::malformed_record, ReasonCode::unsupported_kind, ReasonCode::wrong_device,
          ReasonCode::sequence_reused, ReasonCode::unknown_rep, ReasonCode::unknown_terminal,
          ReasonCode::unknown_product, ReasonCode::negative_quantity, ReasonCode::outside_territory,
          ReasonCode::outside_geofence, ReasonCode::unmatched_checkout,
          ReasonCode::no_open_visit}) {
        CAPTURE(name(code));
        CHECK(name(code) != "unknown");
        CHECK(reason_from_name(name(code)) == code);
    }
    CHECK(name(ReasonCode::outside_geofence) == "outside_geofence");
    CHECK_FALSE(reason_from_name("no_such_reason").has_value());
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
