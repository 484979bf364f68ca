#include "core/nmea.h"
#include "support/nmea_sentence.h"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>

using namespace fieldflow::core;

namespace {
std::string sentence(const std::string& body) {
    return fieldflow::test::nmea_sentence(body);
}
}  // namespace

TEST_CASE("nmea: a textbook GGA parses with position, quality, satellites and HDOP") {
    auto p = parse_nmea("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47\r\n");
    REQUIRE(p.sentence.has_value());
    CHECK(p.sentence->talker == "GP");
    auto& g = std::get<Gga>(p.sentence->data);
    CHECK(*g.lat == doctest::Approx(48.1173));
    CHECK(*g.lon == doctest::Approx(11.516667));
    CHECK(g.quality == 1);
    CHECK(g.satellites == 8);
    CHECK(*g.hdop == doctest::Approx(0.9));
    CHECK(*g.time_of_day_ms == (12 * 3600 + 35 * 60 + 19) * 1000LL);
}

TEST_CASE("nmea: a textbook RMC gives the full UTC time") {
    auto p = parse_nmea("$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A");
    REQUIRE(p.sentence.has_value());
    auto& r = std::get<Rmc>(p.sentence->data);
    CHECK(r.valid);
    CHECK(*r.utc_ms == 764'426'119'000LL);  // 1994-03-23T12:35:19Z: years 80-99 are 19yy
}

TEST_CASE("nmea: a bad or missing checksum is refused") {
    CHECK(parse_nmea("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*48").error ==
          "checksum mismatch");
    CHECK(parse_nmea("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,")
              .error.find("checksum") != std::string::npos);
    CHECK_FALSE(parse_nmea("GPGGA,1*00").sentence);
}

TEST_CASE("nmea: BeiDou and multi-constellation talkers, southern and western hemispheres") {
    auto bd =
        parse_nmea(sentence("BDGGA,031500.00,3113.8240,N,12130.3600,E,1,12,0.8,12.0,M,8.0,M,,"));
    REQUIRE(bd.sentence);
    CHECK(bd.sentence->talker == "BD");
    CHECK(*std::get<Gga>(bd.sentence->data).lat == doctest::Approx(31.230400));
    auto gn = parse_nmea(sentence("GNRMC,031500.00,A,3352.1000,S,15112.3000,W,0.0,0.0,221126,,,A"));
    REQUIRE(gn.sentence);
    auto& r = std::get<Rmc>(gn.sentence->data);
    CHECK(*r.lat == doctest::Approx(-33.868333));
    CHECK(*r.lon == doctest::Approx(-151.205));
}

TEST_CASE(
    "nmea: GSA gives the dilutions of precision, other sentences are recognised and skipped") {
    auto gsa = parse_nmea("$GPGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,2.1*39");
    REQUIRE(gsa.sentence);
    auto& g = std::get<Gsa>(gsa.sentence->data);
    CHECK(g.mode == 3);
    CHECK(*g.hdop == doctest::Approx(1.3));
    auto gsv = parse_nmea(sentence("GPGSV,1,1,01,04,45,120,40"));
    REQUIRE(gsv.sentence);
    CHECK(std::get<OtherSentence>(gsv.sentence->data).type == "GSV");
}

TEST_CASE("nmea: an invalid fix parses but says so") {
    auto gga = parse_nmea(sentence("GPGGA,031500.00,,,,,0,00,99.9,,M,,M,,"));
    REQUIRE(gga.sentence);
    CHECK(std::get<Gga>(gga.sentence->data).quality == 0);
    CHECK_FALSE(std::get<Gga>(gga.sentence->data).lat);
    auto rmc = parse_nmea(sentence("GPRMC,031500.00,V,,,,,,,221126,,,N"));
    REQUIRE(rmc.sentence);
    CHECK_FALSE(std::get<Rmc>(rmc.sentence->data).valid);
}

TEST_CASE("nmea: garbage in fields, overlong lines and broken times are errors") {
    CHECK(parse_nmea(sentence("GPGGA,031500.00,31x3.8240,N,12130.3600,E,1,12,0.8,12.0,M,8.0,M,,"))
              .error.find("latitude") != std::string::npos);
    CHECK(parse_nmea(sentence("GPGGA,031500.00,3113.8240,Q,12130.3600,E,1,12,0.8,12.0,M,8.0,M,,"))
              .error.find("hemisphere") != std::string::npos);
    CHECK(parse_nmea(sentence("GPGGA,251500.00,3113.8240,N,12130.3600,E,1,12,0.8,12.0,M,8.0,M,,"))
              .error.find("time") != std::string::npos);
    CHECK(parse_nmea("$" + std::string(200, 'A') + "*00").error.find("longer") !=
          std::string::npos);
    CHECK(parse_nmea(sentence("GPGGA,1")).error.find("too few") != std::string::npos);
}

TEST_CASE("nmea: whole-number fields and times out of any receiver's range are errors") {
    CHECK(
        parse_nmea(sentence("GPGGA,031500.00,3113.8240,N,12130.3600,E,1,1e300,0.8,12.0,M,8.0,M,,"))
            .error.find("satellites") != std::string::npos);
    CHECK(parse_nmea(sentence("GPGGA,031500.00,3113.8240,N,12130.3600,E,1.5,12,0.8,12.0,M,8.0,M,,"))
              .error.find("fix quality") != std::string::npos);
    CHECK(parse_nmea(sentence("GPGSA,A,-3,01,02,03,,,,,,,,,,1.8,1.0,1.5")).error.find("mode") !=
          std::string::npos);
    CHECK(parse_nmea(sentence("GPGGA,1.0e300,3113.8240,N,12130.3600,E,1,12,0.8,12.0,M,8.0,M,,"))
              .error.find("time") != std::string::npos);
    CHECK(parse_nmea(sentence("GPGGA,-031500,3113.8240,N,12130.3600,E,1,12,0.8,12.0,M,8.0,M,,"))
              .error.find("time") != std::string::npos);
}
