#include "core/enrolment_uri.h"

#include <doctest/doctest.h>

using namespace fieldflow::core;

namespace {

const std::string credential = "ffd1." + std::string(64, 'a');

std::string problem(std::string_view uri) {
    auto read = read_enrolment_uri(uri);
    CHECK_FALSE(read.enrolment);
    // The credential never shows in what a rep is told.
    CHECK(read.problem.find(credential) == std::string::npos);
    return read.problem;
}

}  // namespace

TEST_CASE("enrolment URI: what the gateway writes reads back whole, Chinese and spaces too") {
    Enrolment written{"gw.example.cn:7700", "dev 7/上海", "R&D 1", credential};
    auto uri = enrolment_uri(written);
    CHECK(uri ==
          "fieldflow:enrol?gateway=gw.example.cn:7700&device=dev%207%2F%E4%B8%8A%E6%B5%B7"
          "&rep=R%26D%201&credential=" +
              credential);
    auto read = read_enrolment_uri(uri);
    REQUIRE(read.enrolment);
    CHECK(read.problem.empty());
    CHECK(read.enrolment->gateway == written.gateway);
    CHECK(read.enrolment->device == written.device);
    CHECK(read.enrolment->rep == written.rep);
    CHECK(read.enrolment->credential == written.credential);

    auto v6 = read_enrolment_uri(enrolment_uri({"[::1]:7700", "dev-1", "R1", credential}));
    REQUIRE(v6.enrolment);
    CHECK(v6.enrolment->gateway == "[::1]:7700");
}

TEST_CASE("enrolment URI: a scan engine's line ending and QR identifier are read past") {
    auto uri = enrolment_uri({"10.0.0.5:7700", "dev-1", "R1", credential});
    for (const auto& scanned : {uri + "\r\n", "]Q1" + uri, " " + uri + "\t"}) {
        auto read = read_enrolment_uri(scanned);
        REQUIRE(read.enrolment);
        CHECK(read.enrolment->device == "dev-1");
        CHECK(read.enrolment->credential == credential);
    }
}

TEST_CASE(
    "enrolment URI: an older gateway's URI has no rep; a later one's new parameters are "
    "passed over") {
    auto old =
        read_enrolment_uri("fieldflow:enrol?gateway=gw:7700&device=dev-1&credential=" + credential);
    REQUIRE(old.enrolment);
    CHECK(old.enrolment->rep.empty());
    auto later = read_enrolment_uri(
        "fieldflow:enrol?v=2&gateway=gw:7700&device=dev-1&rep=R1"
        "&credential=" +
        credential + "&tz=480&");
    REQUIRE(later.enrolment);
    CHECK(later.enrolment->rep == "R1");
    CHECK(later.enrolment->credential == credential);
}

TEST_CASE("enrolment URI: the gateway's CA certificate rides along as base64url, bytes intact") {
    std::string der("\x30\x82\x01\x0a\x00\xfb\xff", 7);
    auto uri = enrolment_uri({"gw.example.cn:7700", "dev-1", "R1", credential, der});
    CHECK(uri.ends_with("&credential=" + credential + "&ca=MIIBCgD7_w"));
    auto read = read_enrolment_uri(uri);
    REQUIRE(read.enrolment);
    CHECK(read.enrolment->ca == der);
    CHECK(read.enrolment->credential == credential);
    // None given, none written.
    CHECK(enrolment_uri({"gw:7700", "dev-1", "R1", credential}).find("ca=") == std::string::npos);
    CHECK(problem("fieldflow:enrol?gateway=gw:7700&device=dev-1&credential=" + credential +
                  "&ca=MIIB%2BCg") ==
          "the enrolment code's ca is not base64url (RFC 4648): \"MIIB+Cg\"");
}

TEST_CASE("enrolment URI: what is wrong is named") {
    const std::string rest = "&device=dev-1&rep=R1&credential=" + credential;
    CHECK(problem("") == "the enrolment code is empty");
    CHECK(problem("https://example.com/product/6901234567892") ==
          "this is not a fieldflow enrolment code: it begins \"https://example.com/prod…\", an "
          "enrolment begins \"fieldflow:enrol?\"");
    CHECK(problem("fieldflow:photo?sha=1").find("this fieldflow code is not an enrolment") == 0);
    CHECK(problem("fieldflow:enrol?device=dev-1&credential=" + credential) ==
          "the enrolment code has no gateway");
    CHECK(problem("fieldflow:enrol?gateway=gw:7700&rep=R1&credential=" + credential) ==
          "the enrolment code has no device");
    CHECK(problem("fieldflow:enrol?gateway=gw:7700&device=dev-1&rep=R1") ==
          "the enrolment code has no credential");
    CHECK(problem("fieldflow:enrol?gateway=gw:7700&device=dev%G1" + rest) ==
          "bad percent-encoding in device: \"%G1\" is not % followed by two hexadecimal digits");
    CHECK(problem("fieldflow:enrol?gateway=gw:7700&rep=R1&credential=" + credential +
                  "&device=dev%4") ==
          "bad percent-encoding in device: \"%4\" is not % followed by two hexadecimal digits");
    CHECK(problem("fieldflow:enrol?gateway=gw:7700&device=%C5%FA" + rest.substr(13)) ==
          "the enrolment code's device is not UTF-8 text once decoded");
    CHECK(problem("fieldflow:enrol?gateway=gw:7700&device=a%0Ab" + rest.substr(13)) ==
          "the enrolment code's device has a control character");
    CHECK(problem("fieldflow:enrol?gateway=gw:7700&device=dev 1" + rest.substr(13)) ==
          "the enrolment code's device has \" \" not percent-encoded");
    CHECK(problem("fieldflow:enrol?gateway=[::1]:7700" + rest) ==
          "the enrolment code's gateway has \"[\" not percent-encoded");
    CHECK(problem("fieldflow:enrol?gateway=gw:7700&device=" + rest.substr(13)) ==
          "the enrolment code's device is empty");
    CHECK(problem("fieldflow:enrol?gateway=gw:7700&gateway=gw:7701" + rest) ==
          "the enrolment code gives gateway twice");
    CHECK(problem("fieldflow:enrol?gateway" + rest) ==
          "the parameter \"gateway\" has no value (expected name=value)");
    CHECK(problem("fieldflow:enrol?gateway=gw" + rest) ==
          "the enrolment code's gateway \"gw\" is not HOST:PORT");
    CHECK(problem("fieldflow:enrol?gateway=gw:70000" + rest) ==
          "the enrolment code's gateway \"gw:70000\" is not HOST:PORT");
    CHECK(problem("fieldflow:enrol?gateway=gw:7700" + rest + std::string(5000, 'x'))
              .find("more than any enrolment code") != std::string::npos);
}
