#include "core/gpsd_json.h"

#include <doctest/doctest.h>

#include "core/fix_tracker.h"

using namespace fieldflow::core;

TEST_CASE("gpsd: a 3D TPV report gives position, accuracy and time") {
    auto line = parse_gpsd_line(
        R"({"class":"TPV","device":"/dev/ttyS1","mode":3,"time":"2026-11-22T03:15:01.250Z","lat":31.2304,"lon":121.506,"alt":12.0,"epx":3.2,"epy":4.1,"eph":6.5})");
    REQUIRE(line.tpv);
    CHECK(line.tpv->mode == 3);
    CHECK(*line.tpv->lat == doctest::Approx(31.2304));
    CHECK(*line.tpv->accuracy_m == doctest::Approx(6.5));
    CHECK(*line.tpv->time_ms == 1'795'317'301'250LL);
}

TEST_CASE("gpsd: other classes are skipped, broken lines are errors") {
    auto version = parse_gpsd_line(R"({"class":"VERSION","release":"3.22","proto_major":3})");
    CHECK_FALSE(version.tpv);
    CHECK(version.error.empty());
    CHECK_FALSE(parse_gpsd_line("{not json").error.empty());
    CHECK_FALSE(parse_gpsd_line(R"({"mode":3})").error.empty());
    CHECK_FALSE(parse_gpsd_line(R"({"class":"TPV","mode":3,"lat":95,"lon":1})").error.empty());
}

TEST_CASE("gpsd: accuracy falls back to the larger of epx and epy") {
    auto line = parse_gpsd_line(R"({"class":"TPV","mode":2,"lat":1,"lon":2,"epx":3.0,"epy":9.0})");
    CHECK(*line.tpv->accuracy_m == doctest::Approx(9.0));
}

TEST_CASE("gpsd: a mode-1 report keeps the last fix and ages it") {
    FixTracker t;
    t.feed(
        *parse_gpsd_line(
             R"({"class":"TPV","mode":3,"time":"2026-11-22T03:15:00Z","lat":31.2304,"lon":121.506,"eph":5})")
             .tpv);
    CHECK(t.assess({}) == FixStatus::ok);
    t.feed(*parse_gpsd_line(R"({"class":"TPV","mode":1,"time":"2026-11-22T03:18:00Z"})").tpv);
    CHECK(*t.fix_age_ms() == 180'000);
    CHECK(t.assess({}) == FixStatus::stale_fix);
}

TEST_CASE("gpsd: ISO 8601 times") {
    CHECK(parse_iso8601_utc("1970-01-01T00:00:00Z") == 0);
    CHECK(parse_iso8601_utc("2026-11-22T03:15:01.250Z") == 1'795'317'301'250LL);
    CHECK_FALSE(parse_iso8601_utc("2026-02-30T00:00:00Z"));
    CHECK_FALSE(parse_iso8601_utc("2026-11-22 03:15:01"));
}

TEST_CASE("gpsd: a mode other than 0 to 3 is an error, a missing one is unknown") {
    for (const char* mode : {"3.66e64", "-1", "4", "2.5", "\"3\""}) {
        CAPTURE(mode);
        auto line =
            parse_gpsd_line(std::string(R"({"class":"TPV","lat":1,"lon":2,"mode":)") + mode + "}");
        CHECK_FALSE(line.tpv);
        CHECK(line.error.find("mode") != std::string::npos);
    }
    auto none = parse_gpsd_line(R"({"class":"TPV","lat":1,"lon":2})");
    REQUIRE(none.tpv);
    CHECK(none.tpv->mode == 0);
}
