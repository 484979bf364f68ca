#include "core/fix_tracker.h"
#include "support/nmea_sentence.h"

#include <doctest/doctest.h>

#include <cstdio>

using namespace fieldflow::core;

namespace {
void feed(FixTracker& t, const std::string& body) {
    auto p = parse_nmea(fieldflow::test::nmea_sentence(body));
    REQUIRE_MESSAGE(p.sentence, p.error);
    t.feed(*p.sentence);
}
}  // namespace

TEST_CASE("fix tracker: no sentences, no fix") {
    FixTracker t;
    CHECK_FALSE(t.latest());
    CHECK(t.assess({}) == FixStatus::no_fix);
}

TEST_CASE("fix tracker: RMC then GGA give a dated fix with an accuracy from HDOP") {
    FixTracker t;
    feed(t, "GNRMC,031500.00,A,3113.8240,N,12130.3600,E,0.0,0.0,221126,,,A");
    feed(t, "GNGGA,031501.00,3113.8240,N,12130.3600,E,1,12,1.2,12.0,M,8.0,M,,");
    REQUIRE(t.latest());
    CHECK(t.latest()->lat == doctest::Approx(31.2304));
    CHECK(t.latest()->accuracy_m == doctest::Approx(6.0));
    CHECK(*t.latest()->gps_time_ms == 1'795'317'301'000LL);  // 2026-11-22T03:15:01Z
    CHECK(t.assess({}) == FixStatus::ok);
}

TEST_CASE("fix tracker: a fix the receiver lost long ago is stale on the receiver's clock") {
    FixTracker t;
    feed(t, "GNRMC,031500.00,A,3113.8240,N,12130.3600,E,0.0,0.0,221126,,,A");
    feed(t, "GNGGA,031500.00,3113.8240,N,12130.3600,E,1,12,1.0,12.0,M,8.0,M,,");
    feed(t, "GNRMC,031800.00,V,,,,,,,221126,,,N");  // three minutes later, no fix
    feed(t, "GNGGA,031800.00,,,,,0,00,99.9,,M,,M,,");
    CHECK(*t.fix_age_ms() == 180'000);
    CHECK(t.assess({}) == FixStatus::stale_fix);
    CHECK(t.assess({200'000, 100}) == FixStatus::ok);
    CHECK(t.latest()->lat == doctest::Approx(31.2304));  // the last good position is kept
}

TEST_CASE("fix tracker: a poor HDOP makes the fix inaccurate") {
    FixTracker t;
    feed(t, "GPRMC,031500.00,A,3113.8240,N,12130.3600,E,0.0,0.0,221126,,,A");
    feed(t, "GPGGA,031500.00,3113.8240,N,12130.3600,E,1,04,25.0,12.0,M,8.0,M,,");
    CHECK(t.latest()->accuracy_m == doctest::Approx(125));
    CHECK(t.assess({}) == FixStatus::low_accuracy);
    feed(t, "GPGSA,A,3,04,05,09,12,,,,,,,,,2.0,0.9,1.8");
    CHECK(t.latest()->accuracy_m == doctest::Approx(4.5));
    CHECK(t.assess({}) == FixStatus::ok);
}
