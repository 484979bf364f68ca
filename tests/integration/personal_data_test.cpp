// A rep's personal data in the console (gateway/personal_data.h): lists
// carry the distance to the store, never the fix or the photo; the roles
// allowed open them one record at a time, and each opening is in the audit
// log by name; the gateway chooses those roles.

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "core/geo.h"
#include "support/console_gateway.h"
#include "support/handheld.h"

using namespace fieldflow::test;
using nlohmann::json;

namespace {

// A console gateway with reviewer zhang, viewer li and admin wang, holding one
// flagged check-in with a photo.
struct FlaggedPhotoGateway : ConsoleGateway {
    explicit FlaggedPhotoGateway(std::vector<std::string> extra = {})
        : ConsoleGateway(std::move(extra)) {
        REQUIRE(add_operator(db, "zhang", "reviewer", "correct horse") == 0);
        REQUIRE(add_operator(db, "li", "viewer", "battery staple") == 0);
        REQUIRE(add_operator(db, "wang", "admin", "tr0ub4dor") == 0);
        // Far from T1, so flagged, with the storefront photo.
        Handheld h;
        REQUIRE(h({"init", "--device", "dev-001", "--rep", "R1"}).code == 0);
        REQUIRE(
            h({"checkin", "--terminal", "T1", "--lat", "31.3187", "--lon", "121.6099", "--accuracy",
               "5", "--photo", std::string(FIELDFLOW_SOURCE_DIR) + "/tests/browser/storefront.png"})
                .code == 0);
        auto sync = h({"sync", "--gateway", gateway.address()});
        INFO(sync.out);
        REQUIRE(sync.out.find("photos: 1 delivered") != std::string::npos);
    }
    // The review queue as `who` gets it: the one flagged check-in, and the raw body.
    std::pair<json, std::string> flagged(const Login& who) {
        auto reply = get("/api/review", who);
        REQUIRE(reply.status == 200);
        auto queue = json::parse(reply.body);
        REQUIRE(queue["records"].size() == 1);
        return {queue["records"][0], reply.body};
    }
    // The audit log's entries of `action`, as `fieldflow audit list` prints them.
    std::vector<std::string> audited(const std::string& action) {
        auto list = run({binary("fieldflow"), "audit", "list", "--db", db});
        REQUIRE(list.code == 0);
        std::vector<std::string> found;
        std::size_t start = 0;
        for (auto end = list.out.find('\n'); end != std::string::npos;
             start = end + 1, end = list.out.find('\n', start)) {
            std::string line = list.out.substr(start, end - start);
            if (line.find("," + action + ",personal_data,") != std::string::npos)
                found.push_back(line);
        }
        return found;
    }
};

}  // namespace

TEST_CASE(
    "personal data: lists carry the distance to the store; a fix or a photo opens for "
    "reviewers one at a time, each opening audited") {
    FlaggedPhotoGateway f;
    auto viewer = f.login("li", "battery staple");
    auto reviewer = f.login("zhang", "correct horse");

    auto [seen, shown] = f.flagged(viewer);
    const std::string body = shown;  // not a binding: INFO captures it (clang 14)
    INFO(body);
    // Not a digit of the fix, whoever asks.
    CHECK(body.find("31.3187") == std::string::npos);
    CHECK(body.find("121.6099") == std::string::npos);
    CHECK_FALSE(seen["payload"].contains("lat"));
    CHECK_FALSE(seen["payload"].contains("lon"));
    CHECK(seen["payload"]["distanceM"] ==
          std::lround(fieldflow::core::distance_m(31.2304, 121.5060, 31.3187, 121.6099)));
    CHECK(seen["payload"]["distanceM"].get<long>() > 10000);
    CHECK(seen["photo"]["received"] == true);
    CHECK_FALSE(seen["photo"].contains("sha256"));
    CHECK_FALSE(seen["payload"].contains("photoSha256"));

    auto [judged, judged_body] = f.flagged(reviewer);
    CHECK(judged_body.find("31.3187") == std::string::npos);
    CHECK(judged["payload"]["distanceM"] == seen["payload"]["distanceM"]);
    REQUIRE(judged["photo"].contains("sha256"));
    std::string id = std::to_string(judged["id"].get<std::int64_t>());
    std::string photo = "/api/photos/" + judged["photo"]["sha256"].get<std::string>();

    // The viewer may not open either, and leaves no entry trying.
    auto map_refused = f.get("/api/review/" + id + "/map", viewer);
    CHECK(map_refused.status == 403);
    CHECK(map_refused.body.find("li is a viewer") != std::string::npos);
    auto photo_refused = f.get(photo, viewer);
    CHECK(photo_refused.status == 403);
    CHECK(photo_refused.body.find("may not open photos") != std::string::npos);
    CHECK(f.audited("exact location opened").empty());
    CHECK(f.audited("photo opened").empty());

    auto map = f.get("/api/review/" + id + "/map", reviewer);
    REQUIRE(map.status == 200);
    CHECK(json::parse(map.body)["fix"]["lat"] == doctest::Approx(31.3187));
    auto image = f.get(photo, reviewer);
    REQUIRE(image.status == 200);
    CHECK(image.header("Content-Type") == "image/png");
    // Kept by no cache, so that each look is asked for, and audited.
    CHECK(image.header("Cache-Control").find("no-store") != std::string::npos);
    REQUIRE(f.get(photo, reviewer).status == 200);

    auto locations = f.audited("exact location opened");
    REQUIRE(locations.size() == 1);
    CHECK(locations[0].find(",zhang,") != std::string::npos);
    CHECK(locations[0].find(",personal_data," + id + ",") != std::string::npos);
    CHECK(locations[0].find("check-in " + id + " of R1") != std::string::npos);
    auto photos = f.audited("photo opened");
    REQUIRE(photos.size() == 2);
    CHECK(photos[1].find(",zhang,") != std::string::npos);
    CHECK(photos[1].find("record 1 of dev-001 at T1") != std::string::npos);
    CHECK(run({binary("fieldflow"), "audit", "verify", "--db", f.db}).code == 0);
}

TEST_CASE("personal data: the gateway chooses the roles that open fixes and photos") {
    FlaggedPhotoGateway f({"--location-roles", "admin", "--photo-roles", "viewer,admin"});
    auto viewer = f.login("li", "battery staple");
    auto reviewer = f.login("zhang", "correct horse");
    auto admin = f.login("wang", "tr0ub4dor");
    auto opens = [&](const Login& who) { return json::parse(f.get("/api/me", who).body)["opens"]; };
    CHECK(opens(viewer) == json{{"location", false}, {"photos", true}});
    CHECK(opens(reviewer) == json{{"location", false}, {"photos", false}});
    CHECK(opens(admin) == json{{"location", true}, {"photos", true}});

    auto [record, body] = f.flagged(viewer);
    REQUIRE(record["photo"].contains("sha256"));
    std::string id = std::to_string(record["id"].get<std::int64_t>());
    std::string photo = "/api/photos/" + record["photo"]["sha256"].get<std::string>();
    auto refused = f.get("/api/review/" + id + "/map", reviewer);
    CHECK(refused.status == 403);
    CHECK(refused.body.find("zhang is a reviewer") != std::string::npos);
    CHECK(f.get("/api/review/" + id + "/map", admin).status == 200);
    CHECK(f.get(photo, reviewer).status == 403);
    CHECK(f.get(photo, viewer).status == 200);
    auto photos = f.audited("photo opened");
    REQUIRE(photos.size() == 1);
    CHECK(photos[0].find(",li,") != std::string::npos);
    REQUIRE(f.audited("exact location opened").size() == 1);
}
