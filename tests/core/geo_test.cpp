#include "core/geo.h"

#include <doctest/doctest.h>

using fieldflow::core::distance_m;

TEST_CASE("geo: a point is at zero distance from itself") {
    CHECK(distance_m(31.2304, 121.4737, 31.2304, 121.4737) == doctest::Approx(0.0));
}

TEST_CASE("geo: one degree of latitude is about 111.2 km") {
    CHECK(distance_m(31.0, 121.0, 32.0, 121.0) == doctest::Approx(111'195).epsilon(0.001));
}

TEST_CASE("geo: People's Square to the Bund is about 1.6 km") {
    // 人民广场 (31.2329, 121.4752) to 外滩 (31.2400, 121.4900).
    double d = distance_m(31.2329, 121.4752, 31.2400, 121.4900);
    CHECK(d > 1500);
    CHECK(d < 1700);
}

TEST_CASE("geo: distance is symmetric and crosses the antimeridian the short way") {
    CHECK(distance_m(10, 20, 11, 21) == doctest::Approx(distance_m(11, 21, 10, 20)));
    CHECK(distance_m(0, 179.9, 0, -179.9) < 25'000);
}
