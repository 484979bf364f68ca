// The dashboard of a real gateway: its files are served from the web
// folder with a strict content policy, and its figures — over JSON and as
// server-sent events — follow what the devices sent.

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "support/gateway_process.h"
#include "support/http_client.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/wire_client.h"

using namespace fieldflow::test;
using nlohmann::json;

namespace {

struct Fixture {
    TempDir dir;
    std::string db = dir / "gateway.db";
    std::string master = write_master_fixture(dir.path());
    GatewayProcess gateway{
        master, db, "127.0.0.1:0", dir / "gateway.log", {"--http", "127.0.0.1:0"}};
    std::string cookie, csrf;

    Fixture() {
        REQUIRE(run({"/bin/sh", "-c",
                     "echo 'lookout post' | " + binary("fieldflow") +
                         " operator add wu --role "
                         "viewer --db " +
                         db + " >/dev/null"})
                    .code == 0);
        auto login = http_request(gateway.http_address(), "POST", "/api/login",
                                  json{{"name", "wu"}, {"password", "lookout post"}}.dump(),
                                  {{"Content-Type", "application/json"}});
        REQUIRE(login.status == 200);
        cookie = login.set_cookie.substr(0, login.set_cookie.find(';'));
        csrf = json::parse(login.body)["csrf"];
    }
    json overview() {
        auto reply =
            http_request(gateway.http_address(), "GET", "/api/overview", {}, {{"Cookie", cookie}});
        REQUIRE(reply.status == 200);
        return json::parse(reply.body);
    }
};

}  // namespace

TEST_CASE("dashboard: the page, its script and the chart library are served, none from afar") {
    Fixture f;
    auto page = http_get(f.gateway.http_address(), "/");
    REQUIRE(page.status == 200);
    CHECK(page.content_type == "text/html; charset=utf-8");
    CHECK(page.header("Content-Security-Policy").find("default-src 'self'") != std::string::npos);
    CHECK(page.header("X-Frame-Options") == "DENY");
    // Every script and style the page loads is the gateway's own.
    CHECK(page.body.find("src=\"/vendor/uPlot.iife.min.js\"") != std::string::npos);
    CHECK(page.body.find("http://") == std::string::npos);
    CHECK(page.body.find("https://") == std::string::npos);
    for (const char* asset :
         {"/app.js", "/app.css", "/vendor/uPlot.iife.min.js", "/vendor/uPlot.min.css"}) {
        auto file = http_get(f.gateway.http_address(), asset);
        INFO(asset, ": ", file.body.substr(0, 200));
        CHECK(file.status == 200);
        CHECK(file.body.size() > 100);
    }
    CHECK(http_get(f.gateway.http_address(), "/../CMakeLists.txt").status == 404);
}

TEST_CASE("dashboard: the overview follows ingest, devices and late flow data") {
    Fixture f;
    CHECK(http_get(f.gateway.http_address(), "/api/overview").status == 401);
    WireClient device(f.gateway.address());
    device.hello("dev-001", "R1", fieldflow::wire::PROTOCOL_VERSION, {}, 9);
    REQUIRE(device.receive()->isWelcome());
    device.batch({check_in_record("dev-001", 1, "T1", 31.2304, 121.5060),
                  check_in_record("dev-001", 2, "T1", 31.3000, 121.6000)});
    REQUIRE(device.receive()->isAck());

    auto o = f.overview();
    CHECK(o["totals"]["accepted"] == 1);
    CHECK(o["totals"]["flagged"] == 1);
    CHECK(o["open_reviews"] == 1);
    CHECK(o["connections_open"] == 1);
    REQUIRE(o["devices"].size() == 1);
    CHECK(o["devices"][0]["device"] == "dev-001");
    CHECK(o["devices"][0]["outbox"] == 7);
    CHECK(o["devices"][0]["state"] == "online");
    CHECK(o["device_states"]["online"] == 1);
    REQUIRE(o["top_reasons"].size() == 1);
    CHECK(o["top_reasons"][0]["count"] == 1);
    // No flow data was ever imported: every distributor of the master data is late.
    CHECK(o["late_distributors"].size() >= 1);
    CHECK(o["late_distributors"][0]["last_arrival_ms"].is_null());
    CHECK(o["chart"]["t"].is_array());
}

TEST_CASE("dashboard: live figures arrive as server-sent events, and stop at logout") {
    Fixture f;
    HttpEventStream live(f.gateway.http_address(), "/api/live", {{"Cookie", f.cookie}});
    REQUIRE(live.status() == 200);
    auto first = live.next();
    REQUIRE(first);
    CHECK(json::parse(*first)["totals"]["accepted"] == 0);

    WireClient device(f.gateway.address());
    REQUIRE(device.handshake("dev-001"));
    device.batch({check_in_record("dev-001", 1, "T1", 31.2304, 121.5060)});
    REQUIRE(device.receive()->isAck());
    bool seen = false;
    for (int i = 0; i < 5 && !seen; ++i) {
        auto event = live.next(std::chrono::seconds(5));
        REQUIRE(event);
        seen = json::parse(*event)["totals"]["accepted"] == 1;
    }
    CHECK(seen);

    CHECK(
        http_request(
            f.gateway.http_address(), "POST", "/api/logout", "{}",
            {{"Content-Type", "application/json"}, {"Cookie", f.cookie}, {"X-CSRF-Token", f.csrf}})
            .status == 200);
    CHECK(live.closed(std::chrono::seconds(6)));

    HttpEventStream refused(f.gateway.http_address(), "/api/live", {{"Cookie", f.cookie}});
    CHECK(refused.status() == 401);
}
