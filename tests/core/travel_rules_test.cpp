#include "core/travel_rules.h"

#include <doctest/doctest.h>

#include "core/geo.h"
#include "support/master_fixture.h"

using namespace fieldflow::core;
// T1 of the master fixture; a point 0.45° of latitude north is 50.0 km away.
using fieldflow::test::t1_lat;
using fieldflow::test::t1_lon;

namespace {

// 2026-12-01 09:12 in China Standard Time.
constexpr std::int64_t at_0912 = 1'796'087'520'000;
constexpr std::int64_t minute_ms = 60'000;

VisitPoint point(std::uint64_t seq, std::int64_t at, std::string terminal, double lat,
                 double lon = t1_lon) {
    return VisitPoint{seq, at, std::move(terminal), lat, lon};
}

Record check_out(std::uint64_t seq, std::int64_t at, std::string terminal,
                 std::uint64_t check_in_seq = 0) {
    return Record{"dev-001", seq, "R1", at, CheckOut{std::move(terminal), check_in_seq, false}};
}

}  // namespace

TEST_CASE("travel rules: 50 km in 10 minutes is impossible, named with the numbers") {
    auto from = point(1, at_0912, "T1", t1_lat);
    auto to = point(2, at_0912 + 10 * minute_ms, "T9", t1_lat + 0.45);
    auto reason = travel_possible(from, to, TravelLimits{});
    REQUIRE(reason.has_value());
    CHECK(reason->code == ReasonCode::impossible_travel);
    CHECK(reason->severity() == Outcome::flagged);
    CHECK(reason->detail == "50.0 km in 10 min (300 km/h) from T1 at 09:12");
}

TEST_CASE("travel rules: a hop exactly at the speed limit passes, one just above it does not") {
    auto from = point(1, at_0912, "T1", t1_lat);
    auto to = point(2, at_0912 + 30 * minute_ms, "T9", t1_lat + 0.45);
    double km = distance_m(from.lat, from.lon, to.lat, to.lon) / 1000;
    CHECK_FALSE(travel_possible(from, to, TravelLimits{km / 0.5, 1, 0}).has_value());
    CHECK(travel_possible(from, to, TravelLimits{km / 0.5 * 0.999, 1, 0}).has_value());
    CHECK_FALSE(travel_possible(from, to, TravelLimits{0, 1, 0}).has_value());  // 0: off
}

TEST_CASE("travel rules: a hop under the minimum is never judged, however fast") {
    // 0.9 km and 1.1 km north, a second later.
    auto from = point(1, at_0912, "T1", t1_lat);
    auto near = point(2, at_0912 + 1000, "T1", t1_lat + 0.9 / 111.195);
    auto far = point(3, at_0912 + 1000, "T2", t1_lat + 1.1 / 111.195);
    CHECK_FALSE(travel_possible(from, near, TravelLimits{}).has_value());
    CHECK(travel_possible(from, far, TravelLimits{}).has_value());
    CHECK_FALSE(travel_possible(from, far, TravelLimits{120, 2, 0}).has_value());
}

TEST_CASE("travel rules: two check-ins at the same moment far apart are impossible") {
    auto reason = travel_possible(point(1, at_0912, "T1", t1_lat),
                                  point(2, at_0912, "T9", t1_lat + 0.45), TravelLimits{});
    REQUIRE(reason.has_value());
    CHECK(reason->detail == "50.0 km at the same time from T1 at 09:12");
}

TEST_CASE(
    "travel rules: a check-in is judged against its neighbours by capture time, not arrival") {
    TravelLog log;
    // Arrived first: 09:12 at T1 and 10:12 back near T1.
    log.add(point(1, at_0912, "T1", t1_lat));
    log.add(point(3, at_0912 + 60 * minute_ms, "T1", t1_lat));
    // Arrives late, captured between them: 50 km north at 09:22.
    auto late = point(2, at_0912 + 10 * minute_ms, "T9", t1_lat + 0.45);
    auto reason = travel_from_neighbours(log, late, TravelLimits{});
    REQUIRE(reason.has_value());
    CHECK(reason->detail == "50.0 km in 10 min (300 km/h) from T1 at 09:12");

    // Its predecessor is far enough back in time; the check-in after it is not.
    TravelLog later_only;
    later_only.add(point(1, at_0912 - 600 * minute_ms, "T1", t1_lat));
    later_only.add(point(3, at_0912 + 20 * minute_ms, "T1", t1_lat));
    reason = travel_from_neighbours(later_only, late, TravelLimits{});
    REQUIRE(reason.has_value());
    CHECK(reason->detail == "50.0 km in 10 min (300 km/h) to T1 at 09:32");

    // Its true predecessor is near: a check-in far away but long ago does not count.
    TravelLog near_before;
    near_before.add(point(1, at_0912 - 600 * minute_ms, "T1", t1_lat));
    near_before.add(point(4, at_0912 + 5 * minute_ms, "T9", t1_lat + 0.45));
    CHECK_FALSE(travel_from_neighbours(near_before, late, TravelLimits{}).has_value());
}

TEST_CASE("travel rules: a check-in without a fix is passed over, in both directions") {
    TravelLog log;
    log.add(point(1, at_0912, "T1", t1_lat));
    auto unlocated = point(2, at_0912 + 5 * minute_ms, "T1", 0, 0);
    unlocated.located = false;
    log.add(unlocated);
    auto here = point(3, at_0912 + 10 * minute_ms, "T9", t1_lat + 0.45);
    auto reason = travel_from_neighbours(log, here, TravelLimits{});
    REQUIRE(reason.has_value());
    CHECK(reason->detail == "50.0 km in 10 min (300 km/h) from T1 at 09:12");
    unlocated.seq = 4;
    CHECK_FALSE(travel_from_neighbours(log, unlocated, TravelLimits{}).has_value());

    Record no_fix{"dev-001", 5, "R1", at_0912, CheckIn{"T1", 0, 0, 0, FixJudgement::none, 0}};
    REQUIRE(visit_point(no_fix).has_value());
    CHECK_FALSE(visit_point(no_fix)->located);
    CHECK_FALSE(visit_point(check_out(6, at_0912, "T1")).has_value());
}

TEST_CASE("travel rules: a check-out sooner than the minimum after its check-in is a short visit") {
    TravelLog log;
    log.add(point(1, at_0912, "T1", t1_lat));
    TravelLimits limits{120, 1, 10};
    auto out = check_out(2, at_0912 + 3 * minute_ms, "T1", 1);
    auto reason = visit_long_enough(log, out, std::get<CheckOut>(out.payload), limits);
    REQUIRE(reason.has_value());
    CHECK(reason->code == ReasonCode::short_visit);
    CHECK(reason->severity() == Outcome::flagged);
    CHECK(reason->detail == "checked out 3 min after checking in at T1 at 09:12 (minimum 10 min)");

    // Exactly the minimum is long enough; 0 turns the rule off.
    auto on_time = check_out(2, at_0912 + 10 * minute_ms, "T1", 1);
    CHECK_FALSE(visit_long_enough(log, on_time, std::get<CheckOut>(on_time.payload), limits));
    CHECK_FALSE(visit_long_enough(log, out, std::get<CheckOut>(out.payload), TravelLimits{}));
}

TEST_CASE(
    "travel rules: a check-out without a check-in seq closes the latest check-in at its "
    "terminal") {
    TravelLog log;
    log.add(point(1, at_0912, "T1", t1_lat));
    TravelLimits limits{120, 1, 10};
    auto same = check_out(2, at_0912 + 2 * minute_ms, "T1");
    CHECK(visit_long_enough(log, same, std::get<CheckOut>(same.payload), limits).has_value());
    // At another terminal it closes nothing here (unmatched_checkout says so).
    auto other = check_out(2, at_0912 + 2 * minute_ms, "T2");
    CHECK_FALSE(visit_long_enough(log, other, std::get<CheckOut>(other.payload), limits));
}
