// The dashboard of a real gateway: its files are served from the web
// folder with a strict content policy, and its figures — over JSON and as
// server-sent events — follow what the devices sent.

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include "core/reason.h"

#include "support/gateway_process.h"
#include "support/http_client.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/wire_client.h"

using namespace fieldflow::test;
using nlohmann::json;

namespace {

// A gateway with its console, and viewer wu logged in.
struct DashboardGateway {
    TempDir dir;
    std::string db = dir.store("gateway.db");
    std::string master = write_master_fixture(dir.path());
    GatewayProcess gateway{
        master, db, "127.0.0.1:0", dir / "gateway.log", {"--http", "127.0.0.1:0"}};
    std::string cookie, csrf;

    DashboardGateway() {
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
    DashboardGateway f;
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
    DashboardGateway f;
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
    DashboardGateway f;
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

TEST_CASE(
    "dashboard: a month's ledger marks stock off the books, and visits count against targets") {
    DashboardGateway f;
    auto write = [&](const std::string& name, const std::string& text) {
        std::ofstream(f.dir / name) << text;
        return f.dir / name;
    };
    write("opening.csv", "holder_id,product_id,period,qty\nD1,P1,2026-03,100\nD1,P2,2026-03,10\n");
    write("shipments.csv",
          "shipment_id,date,distributor_id,product_id,lot,expiry,qty\n"
          "S1,2026-03-02,D1,P1,L1,2028-01-01,50\n");
    write("flows.csv",
          "flow_id,date,seller_id,buyer_id,product_id,lot,qty\n"
          "F1,2026-03-05,D1,T1,P1,L1,30\n"
          "F2,2026-03-09,D1,T1,P1,L1,-4\n");
    // P1's ledger says 124; the distributor reports 140. P2's report matches.
    write("stock.csv",
          "report_id,date,holder_id,product_id,lot,qty\n"
          "R1,2026-03-31,D1,P1,,140\n"
          "R1,2026-03-31,D1,P2,,10\n");
    for (const char* kind : {"opening", "shipments", "flows", "stock"})
        REQUIRE(run({binary("fieldflow"), "import", kind, f.dir / (std::string(kind) + ".csv"),
                     "--db", f.db})
                    .code == 0);

    auto get = [&](const std::string& target) {
        return http_request(f.gateway.http_address(), "GET", target, {}, {{"Cookie", f.cookie}});
    };
    auto ledger = json::parse(get("/api/ledger?period=2026-03").body);
    REQUIRE(ledger["rows"].size() == 2);
    auto p1 = ledger["rows"][0], p2 = ledger["rows"][1];
    CHECK(p1["product"] == "P1");
    CHECK(p1["closing"] == 124);
    CHECK(p1["variance"] == 16);
    CHECK(p1["off_books"] == true);
    CHECK(p2["variance"] == 0);
    CHECK(p2["off_books"] == false);
    // The same numbers as the operators' command line.
    auto cli = run(
        {binary("fieldflow"), "ledger", "--period", "2026-03", "--db", f.db, "--master", f.master});
    CHECK(cli.out.find("D1,P1,100,50,26,124,140,2026-03-31,16") != std::string::npos);
    CHECK(get("/api/ledger?period=March").status == 400);

    // A visit in September 2026 (when the test records are captured).
    WireClient device(f.gateway.address());
    REQUIRE(device.handshake("dev-001"));
    device.batch({check_in_record("dev-001", 1, "T1", 31.2304, 121.5060)});
    REQUIRE(device.receive()->isAck());
    std::string month = "2026-09";
    auto report = json::parse(get(std::string("/api/effectiveness?period=") + month + "&a=1").body);
    REQUIRE(report["reps"].size() == 1);
    CHECK(report["reps"][0]["rep"] == "R1");
    CHECK(report["reps"][0]["visits"] == 1);
    CHECK(report["targets"]["A"] == 1);
    REQUIRE(report["grades"].size() == 3);
    CHECK(report["grades"][0]["grade"] == "A");
    CHECK(report["grades"][0]["on_target"] == 1);  // T1, grade A, visited once of one
    CHECK(get(std::string("/api/effectiveness?period=") + month + "&a=lots").status == 400);
}

TEST_CASE("dashboard: online means a connection is open, and a device that left is idle") {
    DashboardGateway f;
    {
        WireClient device(f.gateway.address());
        REQUIRE(device.handshake("dev-001"));
        device.batch({check_in_record("dev-001", 1, "T1", 31.2304, 121.5060)});
        REQUIRE(device.receive()->isAck());
        auto o = f.overview();
        REQUIRE(o["devices"].size() == 1);
        CHECK(o["devices"][0]["connected"] == true);
        CHECK(o["devices"][0]["state"] == "online");
    }
    // Seen a moment ago, but its connection is closed now.
    json o;
    for (int i = 0; i < 100; ++i) {
        o = f.overview();
        if (o["connections_open"] == 0) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE(o["connections_open"] == 0);
    REQUIRE(o["devices"].size() == 1);
    CHECK(o["devices"][0]["connected"] == false);
    CHECK(o["devices"][0]["state"] == "idle");
    CHECK(o["device_states"]["online"] == 0);
    CHECK(o["device_states"]["idle"] == 1);
    CHECK(o["silent_hours"] == 24);
}

TEST_CASE("dashboard: the pages read every reason's Chinese name from the API") {
    DashboardGateway f;
    CHECK(http_get(f.gateway.http_address(), "/api/reasons").status == 401);
    auto reply =
        http_request(f.gateway.http_address(), "GET", "/api/reasons", {}, {{"Cookie", f.cookie}});
    REQUIRE(reply.status == 200);
    auto reasons = json::parse(reply.body);
    REQUIRE(reasons.size() == fieldflow::core::all_reason_codes.size());
    std::set<std::string> codes, names;
    for (const auto& r : reasons) {
        codes.insert(r["code"].get<std::string>());
        names.insert(r["zh"].get<std::string>());
        CHECK(!r["zh"].get<std::string>().empty());
    }
    CHECK(codes.size() == reasons.size());
    CHECK(names.size() == reasons.size());  // no two codes read alike
    auto geofence = std::find_if(reasons.begin(), reasons.end(),
                                 [](const json& r) { return r["code"] == "outside_geofence"; });
    REQUIRE(geofence != reasons.end());
    CHECK((*geofence)["zh"] == "不在终端签到范围内");
    CHECK((*geofence)["severity"] == "flagged");
}
