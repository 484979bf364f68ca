// The data of a flagged check-in's drawing (gateway/checkin_map.h), from a
// real gateway's JSON API: the terminal and its geofence, the fix and its
// distance, and the device's check-ins that day in China time as a path.

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "support/gateway_process.h"
#include "support/http_client.h"
#include "support/master_fixture.h"
#include "support/console_gateway.h"
#include "support/process.h"
#include "support/wire_client.h"

using namespace fieldflow::test;
using nlohmann::json;

namespace {

// A console gateway with reviewer zhang and viewer li, and a rep's day to upload.
struct CheckInMapGateway : ConsoleGateway {
    CheckInMapGateway() {
        REQUIRE(add_operator(db, "zhang", "reviewer", "correct horse") == 0);
        REQUIRE(add_operator(db, "li", "viewer", "battery staple") == 0);
    }
    // The records' capture times are ten minutes apart by seq from 22:13
    // China time (support/wire_client.h): at T1 at 22:23, 300 m north of T2
    // in Hangzhou at 22:33 (impossible travel), back at T1 at 22:43, and at
    // T1 again after midnight, on another day.
    void upload_day() {
        WireClient device(gateway.address());
        REQUIRE(device.handshake("dev-001", "R1"));
        device.batch({check_in_record("dev-001", 1, "T1", 31.2304, 121.5060, "R1"),
                      check_in_record("dev-001", 2, "T2", 30.2590 + 300 / 111195.0, 120.1300, "R1"),
                      check_in_record("dev-001", 3, "T1", 31.2304, 121.5060, "R1"),
                      check_in_record("dev-001", 12, "T1", 31.2304, 121.5060, "R1")});
        REQUIRE(device.receive()->isAck());
    }
    // The review queue's id of the device's flagged record `seq`.
    std::int64_t flagged_id(const Login& who, std::uint64_t seq) {
        auto queue = json::parse(get("/api/review?device=dev-001", who).body);
        for (const auto& r : queue["records"])
            if (r["seq"] == seq) return r["id"];
        FAIL("record ", seq, " is not in the review queue: ", queue.dump());
        return 0;
    }
};

}  // namespace

TEST_CASE(
    "checkin map: a flagged check-in comes with its terminal, fix, distance and the day's path") {
    CheckInMapGateway f;
    f.upload_day();
    auto reviewer = f.login("zhang", "correct horse");
    auto id = f.flagged_id(reviewer, 2);
    auto reply = f.get("/api/review/" + std::to_string(id) + "/map", reviewer);
    REQUIRE(reply.status == 200);
    auto map = json::parse(reply.body);
    INFO(map.dump());
    CHECK(map["record"] == id);
    CHECK(map["device"] == "dev-001");
    CHECK(map["day"] == "2026-09-21");
    CHECK(map["terminal"]["id"] == "T2");
    CHECK(map["terminal"]["lat"] == doctest::Approx(30.2590));
    CHECK(map["terminal"]["radius_m"] == 150);
    CHECK(map["fix"]["lat"] == doctest::Approx(30.2590 + 300 / 111195.0));
    CHECK(map["fix"]["accuracy_m"] == 10);
    CHECK(map["distance_m"].get<double>() == doctest::Approx(300).epsilon(0.01));
    // The check-in after midnight belongs to another day.
    REQUIRE(map["path"].size() == 3);
    const char* times[] = {"22:23", "22:33", "22:43"};
    const char* terminals[] = {"T1", "T2", "T1"};
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& step = map["path"][i];
        CHECK(step["seq"] == i + 1);
        CHECK(step["time"] == times[i]);
        CHECK(step["terminal"] == terminals[i]);
        CHECK(step["located"] == true);
        CHECK(step["this"] == (i == 1));
    }
    CHECK(map["path"][0]["lat"] == doctest::Approx(31.2304));
}

TEST_CASE("checkin map: only reviewers see where a rep stood, and only for flagged check-ins") {
    CheckInMapGateway f;
    f.upload_day();
    auto reviewer = f.login("zhang", "correct horse");
    auto id = std::to_string(f.flagged_id(reviewer, 2));
    CHECK(f.get("/api/review/" + id + "/map", Login{}).status == 401);
    auto viewer = f.get("/api/review/" + id + "/map", f.login("li", "battery staple"));
    CHECK(viewer.status == 403);
    CHECK(viewer.body.find("viewer") != std::string::npos);
    // Record 1 was accepted: it is in no review.
    auto accepted = f.get("/api/review/1/map", reviewer);
    CHECK(accepted.status == 404);
    CHECK(accepted.body.find("not a flagged check-in") != std::string::npos);
    CHECK(f.get("/api/review/x/map", reviewer).status == 404);
    CHECK(http_request(f.gateway.http_address(), "POST", "/api/review/" + id + "/map", "{}",
                       {{"Content-Type", "application/json"}, {"Cookie", reviewer.cookie}})
              .status == 403);
}
