// Operators limited to some territories, against a real gateway: what they
// see through every page and download, and what they may not reach by id.
// The master fixture puts T1 and R1 in Shanghai (CN-SH), T2 and R2 in
// Zhejiang (CN-ZJ).

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "support/console_gateway.h"
#include "support/handheld.h"
#include "support/scratch_store.h"
#include "support/wire_client.h"
#include "support/workbook.h"

using namespace fieldflow::test;
using nlohmann::json;

namespace {

// A console gateway with reviewer zhang, who sees CN-SH only, and admin wang.
struct ScopedReviewerGateway : ConsoleGateway {
    ScopedReviewerGateway() {
        REQUIRE(add_operator(db, "zhang", "reviewer", "correct horse", "CN-SH") == 0);
        REQUIRE(add_operator(db, "wang", "admin", "battery staple") == 0);
        // One flagged check-in in each province, far from its terminal.
        WireClient one(gateway.address());
        REQUIRE(one.handshake("dev-001", "R1"));
        one.batch({check_in_record("dev-001", 1, "T1", 31.3000, 121.6000, "R1")});
        REQUIRE(one.receive()->isAck());
        WireClient two(gateway.address());
        REQUIRE(two.handshake("dev-002", "R2"));
        two.batch({check_in_record("dev-002", 1, "T2", 30.4000, 120.3000, "R2")});
        REQUIRE(two.receive()->isAck());
        auto all = json::parse(get("/api/review?state=all", login("wang", "battery staple")).body);
        REQUIRE(all["records"].size() == 2);
        for (const auto& r : all["records"])
            (r["payload"]["terminal"] == "T1" ? shanghai : zhejiang) = r["id"].get<long long>();
    }
    std::string id_path(long long id) const { return "/api/review/" + std::to_string(id); }

    long long shanghai = 0;
    long long zhejiang = 0;
};

json body(const HttpReply& reply) {
    return json::parse(reply.body, nullptr, false);
}

}  // namespace

TEST_CASE("territory scope: a reviewer of Shanghai sees Shanghai's flagged records only") {
    ScopedReviewerGateway f;
    auto zhang = f.login("zhang", "correct horse");
    CHECK(body(f.get("/api/me", zhang))["territories"] == json{"CN-SH"});
    auto login = http_request(f.http(), "POST", "/api/login",
                              json{{"name", "zhang"}, {"password", "correct horse"}}.dump(),
                              {{"Content-Type", "application/json"}});
    CHECK(body(login)["territories"] == json{"CN-SH"});
    for (const char* state : {"open", "all"}) {
        auto records = body(f.get(std::string("/api/review?state=") + state, zhang))["records"];
        REQUIRE(records.size() == 1);
        CHECK(records[0]["id"] == f.shanghai);
    }
    CHECK(body(f.get("/api/review?rep=R2", zhang))["records"].empty());
    CHECK(body(f.get("/api/review?terminal=T2", zhang))["records"].empty());
    CHECK(f.get(f.id_path(f.shanghai) + "/map", zhang).status == 200);
    CHECK(f.get(f.id_path(f.zhejiang) + "/map", zhang).status == 404);

    auto overview = body(f.get("/api/overview", zhang));
    CHECK(overview["open_reviews"] == 1);
    for (const auto& d : overview["devices"]) CHECK(d["rep"] == "R1");
    CHECK(body(f.get("/api/overview", f.login("wang", "battery staple")))["open_reviews"] == 2);

    auto devices = body(f.get("/api/devices", zhang))["devices"];
    REQUIRE(devices.size() == 1);
    CHECK(devices[0]["device"] == "dev-001");
    CHECK(f.get("/api/devices/dev-001", zhang).status == 200);
    CHECK(f.get("/api/devices/dev-002", zhang).status == 404);
}

TEST_CASE(
    "territory scope: a check-in's map leaves the rep's check-ins in other territories out of the "
    "day's path") {
    ScopedReviewerGateway f;
    // R1, of Shanghai, checks in at T2 in Zhejiang in the morning, then far
    // from T1: the second is flagged and in zhang's scope, the first is not.
    WireClient rep(f.gateway.address());
    REQUIRE(rep.handshake("dev-003", "R1"));
    rep.batch({check_in_record("dev-003", 1, "T2", 30.2741, 120.1551, "R1"),
               check_in_record("dev-003", 2, "T1", 31.3000, 121.6000, "R1")});
    REQUIRE(rep.receive()->isAck());
    auto wang = f.login("wang", "battery staple");
    long long id = 0;
    auto listed = body(f.get("/api/review?state=all", wang))["records"];
    for (const auto& r : listed)
        if (r["device"] == "dev-003" && r["payload"]["terminal"] == "T1") id = r["id"];
    INFO(listed.dump());
    REQUIRE(id != 0);

    auto seen = f.get(f.id_path(id) + "/map", f.login("zhang", "correct horse"));
    REQUIRE(seen.status == 200);
    auto map = body(seen);
    CHECK(map["outside_scope"] == 1);
    REQUIRE(map["path"].size() == 1);
    CHECK(map["path"][0]["terminal"] == "T1");
    CHECK(seen.body.find("30.2741") == std::string::npos);
    CHECK(seen.body.find("T2") == std::string::npos);

    auto whole = body(f.get(f.id_path(id) + "/map", wang));
    CHECK(whole["outside_scope"] == 0);
    REQUIRE(whole["path"].size() == 2);
    CHECK(whole["path"][0]["terminal"] == "T2");
    CHECK(whole["path"][0]["lat"] == 30.2741);
}

TEST_CASE("territory scope: another territory's record cannot be settled by its id") {
    ScopedReviewerGateway f;
    auto zhang = f.login("zhang", "correct horse");
    json approve{{"decision", "approve"}, {"comment", "the pharmacy moved"}};
    auto other = f.post(f.id_path(f.zhejiang), approve, zhang);
    CHECK(other.status == 404);
    // As for an id that does not exist at all.
    auto none = f.post(f.id_path(f.zhejiang + f.shanghai + 100), approve, zhang);
    CHECK(none.status == 404);
    auto wang = f.login("wang", "battery staple");
    auto still = body(f.get("/api/review?state=open", wang))["records"];
    CHECK(still.size() == 2);
    CHECK(f.post(f.id_path(f.shanghai), approve, zhang).status == 200);
    CHECK(store_scalar(f.db, "SELECT count(*) FROM reviews") == 1);
}

TEST_CASE("territory scope: downloads hold the territory's rows only") {
    ScopedReviewerGateway f;
    auto zhang = f.login("zhang", "correct horse");
    auto csv = f.get("/api/export/review.csv?state=all&lang=en", zhang);
    REQUIRE(csv.status == 200);
    CHECK(csv.body.find("dev-001") != std::string::npos);
    CHECK(csv.body.find("dev-002") == std::string::npos);
    CHECK(csv.body.find(",T2,") == std::string::npos);

    auto xlsx = f.get("/api/export/review.xlsx?state=all&lang=en", zhang);
    REQUIRE(xlsx.status == 200);
    std::ofstream(f.dir / "review.xlsx", std::ios::binary) << xlsx.body;
    auto book = read_workbook(f.dir / "review.xlsx");
    REQUIRE(book.is_object());
    const auto& rows = book["sheets"][0]["rows"];
    REQUIRE(rows.size() == 2);  // the heading and Shanghai's record
    CHECK(rows[1][0]["v"] == f.shanghai);

    CHECK(f.get("/api/export/channel.csv?period=2026-03", zhang).status == 403);
    CHECK(f.get("/api/export/anomalies.csv", zhang).status == 403);
    CHECK(body(f.get("/api/ledger?period=2026-03", zhang))["channel"].empty());
    auto report = body(f.get("/api/effectiveness?period=2026-03", zhang));
    for (const auto& t : report["terminals"]) CHECK(t["terminal"] == "T1");
    for (const auto& r : report["reps"]) CHECK(r["rep"] == "R1");
}

TEST_CASE("territory scope: a new scope ends the operator's sessions and is audited") {
    ScopedReviewerGateway f;
    auto zhang = f.login("zhang", "correct horse");
    REQUIRE(f.get("/api/review", zhang).status == 200);
    auto rescoped = run({binary("fieldflow"), "operator", "scope", "zhang", "--territories",
                         "CN-ZJ", "--db", f.db, "--by", "wang"});
    REQUIRE(rescoped.code == 0);
    CHECK(f.get("/api/review", zhang).status == 401);
    zhang = f.login("zhang", "correct horse");
    auto records = body(f.get("/api/review", zhang))["records"];
    REQUIRE(records.size() == 1);
    CHECK(records[0]["id"] == f.zhejiang);
    CHECK(store_scalar(f.db, "SELECT count(*) FROM audit_log WHERE action = 'operator rescoped'") ==
          1);
    CHECK(run({binary("fieldflow"), "operator", "scope", "zhang", "--territories", "CN--X", "--db",
               f.db})
              .code == 2);
    auto listed = run({binary("fieldflow"), "operator", "list", "--db", f.db});
    CHECK(listed.out == "operator,role,territories\nwang,admin,\nzhang,reviewer,CN-ZJ\n");
    auto fieldflow = [&](std::vector<std::string> words) {
        words.insert(words.begin(), binary("fieldflow"));
        words.insert(words.end(), {"--db", f.db});
        return run(words);
    };
    REQUIRE(fieldflow({"operator", "scope", "zhang", "--territories", "CN-ZJ,CN-SH-PD"}).code == 0);
    CHECK(fieldflow({"operator", "list"}).out ==
          "operator,role,territories\nwang,admin,\nzhang,reviewer,\"CN-ZJ,CN-SH-PD\"\n");
    REQUIRE(fieldflow({"operator", "scope", "zhang", "--all"}).code == 0);
    CHECK(fieldflow({"operator", "list"}).out ==
          "operator,role,territories\nwang,admin,\nzhang,reviewer,\n");
    CHECK(store_scalar(f.db, "SELECT count(*) FROM audit_log WHERE action = 'operator rescoped'") ==
          3);
    CHECK(fieldflow({"audit", "verify"}).code == 0);
}

TEST_CASE("territory scope: the live stream follows the scope, and ends with it") {
    ScopedReviewerGateway f;
    auto zhang = f.login("zhang", "correct horse");
    HttpEventStream live(f.http(), "/api/live", {{"Cookie", zhang.cookie}});
    REQUIRE(live.status() == 200);
    auto first = live.next();
    REQUIRE(first);
    auto figures = json::parse(*first);
    CHECK(figures["open_reviews"] == 1);
    for (const auto& d : figures["devices"]) CHECK(d["rep"] == "R1");
    REQUIRE(run({binary("fieldflow"), "operator", "scope", "zhang", "--territories", "CN-ZJ",
                 "--db", f.db})
                .code == 0);
    CHECK(live.closed(std::chrono::seconds(6)));
}

TEST_CASE("territory scope: a photo sent at another territory's terminal is not there") {
    ScopedReviewerGateway f;
    Handheld h;
    REQUIRE(h({"init", "--device", "dev-002", "--rep", "R2"}).code == 0);
    std::string bytes = "\xFF\xD8\xFF\xE0";
    bytes.resize(2000, 'x');
    std::ofstream(h.dir / "storefront.jpg", std::ios::binary) << bytes;
    REQUIRE(h({"checkin", "--terminal", "T2", "--lat", "30.2590", "--lon", "120.1300", "--accuracy",
               "5", "--photo", h.dir / "storefront.jpg"})
                .code == 0);
    REQUIRE(h({"sync", "--gateway", f.gateway.address()}).code == 0);
    auto listed = run({binary("fieldflow"), "records", "--db", f.db}).out;
    auto at = listed.find("\"photoSha256\":\"");
    REQUIRE(at != std::string::npos);
    std::string sha256 = listed.substr(at + 15, 64);

    auto wang = f.login("wang", "battery staple");
    CHECK(f.get("/api/photos/" + sha256, wang).status == 200);
    auto zhang = f.login("zhang", "correct horse");
    auto hidden = f.get("/api/photos/" + sha256, zhang);
    CHECK(hidden.status == 404);
    CHECK(hidden.body == f.get("/api/photos/" + std::string(64, 'a'), zhang).body);
}

TEST_CASE("territory scope: the ledger holds the distributors that serve the territory") {
    ScopedReviewerGateway f;
    REQUIRE(add_operator(f.db, "li", "viewer", "night shift 42", "CN-ZJ") == 0);
    std::ofstream(f.dir / "opening.csv")
        << "holder_id,product_id,period,qty\nD1,P1,2026-03,100\nD2,P1,2026-03,10\n";
    REQUIRE(
        run({binary("fieldflow"), "import", "opening", f.dir / "opening.csv", "--db", f.db}).code ==
        0);
    auto holders = [&](const Login& who) {
        std::set<std::string> seen;
        auto ledger = body(f.get("/api/ledger?period=2026-03", who));
        for (const auto& row : ledger["rows"]) seen.insert(row["holder"].get<std::string>());
        return seen;
    };
    // D1 serves CN-SH and CN-ZJ; D2 only Pudong, in Shanghai.
    CHECK(holders(f.login("li", "night shift 42")) == std::set<std::string>{"D1"});
    CHECK(holders(f.login("zhang", "correct horse")) == std::set<std::string>{"D1", "D2"});
    auto csv =
        f.get("/api/export/ledger.csv?period=2026-03&lang=en", f.login("li", "night shift 42"));
    REQUIRE(csv.status == 200);
    CHECK(csv.body.find("D1") != std::string::npos);
    CHECK(csv.body.find("D2") == std::string::npos);
}
