// Operators log in to a real gateway and settle flagged records through
// its JSON API: roles, the CSRF token, filters, and the audit trail.

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "support/gateway_process.h"
#include "support/http_client.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/wire_client.h"
#include "support/console_gateway.h"

using namespace fieldflow::test;
using nlohmann::json;

namespace {

// A console gateway with reviewer zhang and viewer li.
struct ReviewQueueGateway : ConsoleGateway {
    ReviewQueueGateway() {
        REQUIRE(add_operator(db, "zhang", "reviewer", "correct horse") == 0);
        REQUIRE(add_operator(db, "li", "viewer", "battery staple") == 0);
    }
    // Two flagged check-ins far from their terminals, one per rep, and one accepted.
    void upload_flagged() {
        WireClient one(gateway.address());
        REQUIRE(one.handshake("dev-001", "R1"));
        one.batch({check_in_record("dev-001", 1, "T1", 31.3000, 121.6000, "R1"),
                   check_in_record("dev-001", 2, "T1", 31.2304, 121.5060, "R1")});
        REQUIRE(one.receive()->isAck());
        WireClient two(gateway.address());
        REQUIRE(two.handshake("dev-002", "R2"));
        two.batch({check_in_record("dev-002", 1, "T2", 30.4000, 120.3000, "R2")});
        REQUIRE(two.receive()->isAck());
    }
};

}  // namespace

TEST_CASE("review queue: a wrong password or no login gets 401, and the cookie is HttpOnly") {
    ReviewQueueGateway f;
    auto wrong = http_request(f.http(), "POST", "/api/login",
                              json{{"name", "zhang"}, {"password", "wrong horse"}}.dump(),
                              {{"Content-Type", "application/json"}});
    CHECK(wrong.status == 401);
    CHECK(wrong.set_cookie.empty());
    auto nobody = http_request(f.http(), "POST", "/api/login",
                               json{{"name", "nobody"}, {"password", "correct horse"}}.dump(),
                               {{"Content-Type", "application/json"}});
    CHECK(nobody.status == 401);
    CHECK(json::parse(nobody.body)["error"] == json::parse(wrong.body)["error"]);
    CHECK(http_get(f.http(), "/api/review").status == 401);

    auto right = http_request(f.http(), "POST", "/api/login",
                              json{{"name", "zhang"}, {"password", "correct horse"}}.dump(),
                              {{"Content-Type", "application/json"}});
    REQUIRE(right.status == 200);
    CHECK(right.set_cookie.find("HttpOnly") != std::string::npos);
    CHECK(right.set_cookie.find("SameSite=Strict") != std::string::npos);
    CHECK(json::parse(right.body)["role"] == "reviewer");
    CHECK(right.set_cookie.find("Secure") == std::string::npos);  // plain HTTP on loopback
    auto proxied =
        http_request(f.http(), "POST", "/api/login",
                     json{{"name", "zhang"}, {"password", "correct horse"}}.dump(),
                     {{"Content-Type", "application/json"}, {"X-Forwarded-Proto", "https"}});
    CHECK(proxied.set_cookie.find("; Secure") != std::string::npos);
}

TEST_CASE("review queue: flagged records are listed with their reasons and context, and filter") {
    ReviewQueueGateway f;
    f.upload_flagged();
    auto li = f.login("li", "battery staple");
    auto all = json::parse(f.get("/api/review", li).body)["records"];
    REQUIRE(all.size() == 2);
    CHECK(all[0]["device"] == "dev-002");  // newest first
    CHECK(all[1]["rep"] == "R1");
    CHECK(all[1]["kind"] == "check_in");
    CHECK(all[1]["payload"]["terminal"] == "T1");
    // The distance to the store stands for the fix (tests/integration/personal_data_test.cpp).
    CHECK_FALSE(all[1]["payload"].contains("lat"));
    CHECK(all[1]["payload"]["distanceM"].get<long>() > 1000);
    REQUIRE(all[1]["reasons"].size() >= 1);
    std::string reason = all[1]["reasons"][0]["code"];
    CHECK(all[1]["reasons"][0]["detail"].get<std::string>().find("m") != std::string::npos);
    CHECK(all[1]["review"].is_null());

    CHECK(json::parse(f.get("/api/review?rep=R2", li).body)["records"].size() == 1);
    CHECK(json::parse(f.get("/api/review?terminal=T1", li).body)["records"].size() == 1);
    CHECK(json::parse(f.get("/api/review?device=dev-009", li).body)["records"].empty());
    CHECK(json::parse(f.get("/api/review?reason=" + reason, li).body)["records"].size() == 2);
    CHECK(json::parse(f.get("/api/review?reason=no_such", li).body)["records"].empty());
    CHECK(f.get("/api/review?state=maybe", li).status == 400);
}

TEST_CASE(
    "review queue: a reviewer settles a record once, with the CSRF token, into the audit "
    "log") {
    ReviewQueueGateway f;
    f.upload_flagged();
    auto zhang = f.login("zhang", "correct horse");
    auto li = f.login("li", "battery staple");
    auto records = json::parse(f.get("/api/review", zhang).body)["records"];
    REQUIRE(records.size() == 2);
    std::string target = "/api/review/" + std::to_string(records[1]["id"].get<long long>());
    json approve{{"decision", "approve"}, {"comment", "the pharmacy moved across the street"}};

    Login forged = zhang;
    forged.csrf = "not-the-token";
    CHECK(f.post(target, approve, forged).status == 403);
    auto cross_site = http_request(f.http(), "POST", target, approve.dump(),
                                   {{"Content-Type", "application/json"},
                                    {"Cookie", zhang.cookie},
                                    {"X-CSRF-Token", zhang.csrf},
                                    {"Origin", "http://evil.example"}});
    CHECK(cross_site.status == 403);
    CHECK(http_request(f.http(), "POST", target, "decision=approve",
                       {{"Content-Type", "application/x-www-form-urlencoded"},
                        {"Cookie", zhang.cookie},
                        {"X-CSRF-Token", zhang.csrf}})
              .status == 415);
    CHECK(f.post(target, approve, li).status == 403);                       // a viewer
    CHECK(f.post(target, {{"decision", "approve"}}, zhang).status == 400);  // no comment

    auto settled = f.post(target, approve, zhang);
    REQUIRE(settled.status == 200);
    CHECK(json::parse(settled.body)["review"]["by"] == "zhang");
    CHECK(f.post(target, {{"decision", "reject"}, {"comment", "no"}}, zhang).status == 409);
    CHECK(f.post("/api/review/999999", approve, zhang).status == 404);
    // An admin settles too.
    REQUIRE(add_operator(f.db, "wang", "admin", "root of trust") == 0);
    auto wang = f.login("wang", "root of trust");
    std::string other = "/api/review/" + std::to_string(records[0]["id"].get<long long>());
    auto rejected =
        f.post(other, {{"decision", "reject"}, {"comment", "photo shows another shop"}}, wang);
    REQUIRE(rejected.status == 200);
    CHECK(json::parse(rejected.body)["review"]["decision"] == "reject");

    CHECK(json::parse(f.get("/api/review", li).body)["records"].empty());
    auto decided = json::parse(f.get("/api/review?state=decided", li).body)["records"];
    REQUIRE(decided.size() == 2);
    CHECK(decided[1]["review"]["decision"] == "approve");
    CHECK(decided[1]["review"]["comment"] == "the pharmacy moved across the street");

    CHECK(store_scalar(f.db,
                       "SELECT count(*) FROM audit_log WHERE action = 'flag approved' AND "
                       "actor = 'zhang'") == 1);
    auto verify = run({binary("fieldflow"), "audit", "verify", "--db", f.db});
    CHECK(verify.code == 0);
    // Changing a decision behind the gateway's back breaks the chain.
    store_exec(f.db, "UPDATE reviews SET decision = 'reject'");
    CHECK(run({binary("fieldflow"), "audit", "verify", "--db", f.db}).code != 0);
}

TEST_CASE("review queue: after logout or removal the session is gone") {
    ReviewQueueGateway f;
    auto zhang = f.login("zhang", "correct horse");
    auto me = [&](const Login& login) { return json::parse(f.get("/api/me", login).body); };
    CHECK(me(zhang)["operator"] == "zhang");
    CHECK(f.post("/api/logout", json::object(), zhang).status == 200);
    CHECK(me(zhang)["operator"].is_null());
    CHECK(f.get("/api/review", zhang).status == 401);

    auto li = f.login("li", "battery staple");
    CHECK(me(li)["role"] == "viewer");
    CHECK(run({binary("fieldflow"), "operator", "remove", "li", "--db", f.db}).code == 0);
    CHECK(me(li)["operator"].is_null());
    CHECK(f.get("/api/review", li).status == 401);
}

TEST_CASE("operator CLI: roles and passwords are checked, and only the hash is stored") {
    TempDir dir;
    std::string db = dir.store("g.db");
    CHECK(add_operator(db, "wang", "superuser", "long enough") == 2);
    CHECK(add_operator(db, "wang", "admin", "short") == 1);
    CHECK(add_operator(db, "wang", "admin", "long enough") == 0);
    auto listed = run({binary("fieldflow"), "operator", "list", "--db", db});
    CHECK(listed.out == "operator,role,territories\nwang,admin,\n");
    CHECK(store_scalar(db,
                       "SELECT count(*) FROM operators WHERE password LIKE "
                       "'pbkdf2-sha256$%' AND password NOT LIKE '%long enough%'") == 1);
    CHECK(store_scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'operator added'") == 1);
}
