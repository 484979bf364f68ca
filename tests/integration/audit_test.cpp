// The audit log catches a stored row changed, deleted, added or reordered
// behind the gateway's back, and says where.

#include <doctest/doctest.h>

#include <fstream>

#include "support/gateway_process.h"
#include "support/handheld.h"
#include "support/has.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/scratch_store.h"

using namespace fieldflow::test;

namespace {

RunResult verify(const std::string& db, const std::string& head = {}) {
    if (head.empty()) return run({binary("fieldflow"), "audit", "verify", "--db", db});
    return run({binary("fieldflow"), "audit", "verify", "--db", db, "--head", head});
}

// `fieldflow ARGS` through the shell, its stderr after its stdout, `input` on its stdin.
RunResult shell(const std::string& command, const std::string& input = {}) {
    return run(
        {"/bin/sh", "-c",
         "printf '%s\\n' '" + input + "' | " + binary("fieldflow") + " " + command + " 2>&1"});
}

// A copy of `db` with `sql` run on it behind everyone's back.
std::string tampered(TempDir& dir, const std::string& db, const std::string& name,
                     const std::string& sql) {
    std::string copy = dir.store_copy(name, db);
    store_exec(copy, sql);
    return copy;
}

}  // namespace

TEST_CASE("audit: every record and operator action is chained, and tampering is named") {
    TempDir dir;
    std::string master = write_master_fixture(dir.path()), db = dir.store("gateway.db");
    {
        GatewayProcess gateway(master, db, "127.0.0.1:0", dir / "gateway.log");
        Handheld h;
        h({"init", "--device", "dev-001", "--rep", "R1"});
        h({"checkin", "--terminal", "T1", "--lat", "31.2304", "--lon", "121.5060", "--accuracy",
           "5"});
        h({"count", "--product", "P1", "--qty", "4"});
        h({"count", "--product", "P9", "--qty", "4"});  // rejected: quarantined
        h({"checkout"});
        REQUIRE(h({"sync", "--gateway", gateway.address()}).code == 0);
    }
    std::ofstream(dir / "flows.csv") << "flow_id,date,seller_id,buyer_id,product_id,lot,qty\n"
                                        "F1,2026-03-02,D1,T1,P1,L1,5\n";
    REQUIRE(run({binary("fieldflow"), "import", "flows", dir / "flows.csv", "--db", db}).code == 0);
    REQUIRE(run({binary("fieldflow"), "period", "close", "2026-03", "--db", db}).code == 0);
    REQUIRE(run({binary("fieldflow"), "flows", "adjust", "F1", "--qty", "4", "--reason", "typo",
                 "--db", db})
                .code == 0);
    REQUIRE(run({binary("fieldflow"), "device", "enroll", "--device", "dev-002", "--rep", "R2",
                 "--db", db})
                .code == 0);

    // One batch: the check-in and the first count are records 1 and 2, one
    // entry; the quarantined count ends that run, so the checkout is another.
    auto intact = verify(db);
    CHECK(intact.code == 0);
    CHECK(intact.out.find("intact: 9 entries") != std::string::npos);
    auto listed = run({binary("fieldflow"), "audit", "list", "--db", db}).out;
    CHECK(listed.find("dev-001,record booked,records,1,2,") != std::string::npos);
    CHECK(listed.find("record quarantined,quarantine,1,1,") != std::string::npos);
    CHECK(listed.find("dev-001,record booked,records,3,1,") != std::string::npos);
    CHECK(listed.find("period closed,period_log") != std::string::npos);
    CHECK(listed.find("device enrolled,device_credentials,0,1,dev-002 for rep R2") !=
          std::string::npos);
    // The last entry's hash, to keep elsewhere: 64 hex digits ending its line.
    std::string last = listed.substr(listed.rfind('\n', listed.size() - 2) + 1);
    std::string hash = last.substr(last.rfind(',') + 1);
    CHECK(hash.size() == 65);
    CHECK(hash.find_first_not_of("0123456789abcdef") == 64);

    auto changed = verify(
        tampered(dir, db, "changed.db", "UPDATE records SET verdict = 'flagged' WHERE seq = 2"));
    CHECK(changed.code == 1);
    CHECK(changed.out.find("records row 2 was changed") != std::string::npos);

    auto gone = verify(tampered(dir, db, "gone.db",
                                "DELETE FROM record_reasons WHERE record_id = 2;"
                                "DELETE FROM records WHERE id = 2"));
    CHECK(gone.code == 1);
    CHECK(gone.out.find("broken at entry 1: records row 2 was deleted") != std::string::npos);

    auto reason = verify(tampered(dir, db, "reason.db", "DELETE FROM quarantine_reasons"));
    CHECK(reason.code == 1);
    CHECK(reason.out.find("quarantine row 1 was changed") != std::string::npos);

    auto deleted = verify(
        tampered(dir, db, "deleted.db", "DELETE FROM quarantine_reasons; DELETE FROM quarantine"));
    CHECK(deleted.code == 1);
    CHECK(deleted.out.find("quarantine row 1 was deleted") != std::string::npos);

    auto added = verify(tampered(dir, db, "added.db",
                                 "INSERT INTO records (id, device, seq, rep, kind, "
                                 "captured_at_ms, received_at_ms, verdict, raw) SELECT "
                                 "(SELECT max(id) + 1 FROM records), device, 99, rep, kind, "
                                 "captured_at_ms, received_at_ms, verdict, raw FROM records "
                                 "WHERE seq = 1"));
    CHECK(added.code == 1);
    CHECK(added.out.find("is not in the log") != std::string::npos);

    auto period = verify(tampered(dir, db, "period.db", "UPDATE period_log SET by = 'someone'"));
    CHECK(period.code == 1);
    CHECK(period.out.find("period_log row 1 was changed") != std::string::npos);

    auto entry = verify(
        tampered(dir, db, "entry.db", "UPDATE audit_log SET actor = 'dev-002' WHERE id = 2"));
    CHECK(entry.code == 1);
    CHECK(entry.out.find("broken at entry 2: the entry itself was changed") != std::string::npos);

    auto reordered = verify(tampered(dir, db, "reordered.db",
                                     "UPDATE audit_log SET id = -id WHERE id IN (2, 3);"
                                     "UPDATE audit_log SET id = 3 WHERE id = -2;"
                                     "UPDATE audit_log SET id = 2 WHERE id = -3;"));
    CHECK(reordered.code == 1);
    CHECK(reordered.out.find("broken at entry 2") != std::string::npos);
}

namespace {

// A store with every kind of book row, an operator and a device, each
// entered through fieldflow.
std::string covered_store(TempDir& dir) {
    std::string db = dir.store("gateway.db");
    std::string quoted = "'" + db + "'";
    std::ofstream(dir / "shipments.csv")
        << "shipment_id,date,distributor_id,product_id,lot,expiry,qty\n"
           "S1,2026-03-02,D1,P1,L1,2028-03-01,100\n"
           "S2,2026-03-03,D1,P2,L1,2028-03-01,50\n";
    std::ofstream(dir / "flows.csv") << "flow_id,date,seller_id,buyer_id,product_id,lot,qty\n"
                                        "F1,2026-03-05,D1,T1,P1,L1,20\n"
                                        "F2,2026-03-06,D1,T2,P1,L1,10\n";
    std::ofstream(dir / "stock.csv") << "report_id,date,holder_id,product_id,lot,qty\n"
                                        "K1,2026-03-31,D1,P1,L1,70\n";
    std::ofstream(dir / "opening.csv") << "holder_id,product_id,period,qty\nD1,P1,2026-03,5\n";
    for (const char* kind : {"shipments", "flows", "stock", "opening"})
        REQUIRE(run({binary("fieldflow"), "import", kind, dir / (std::string(kind) + ".csv"),
                     "--db", db})
                    .code == 0);
    REQUIRE(shell("operator add li --role viewer --db " + quoted, "battery staple").code == 0);
    REQUIRE(run({binary("fieldflow"), "device", "enroll", "--device", "dev-001", "--rep", "R1",
                 "--db", db})
                .code == 0);
    return db;
}

}  // namespace

TEST_CASE(
    "audit: imported rows, operators, credentials and closed periods changed behind the "
    "log's back are named") {
    TempDir dir;
    std::string db = covered_store(dir);
    REQUIRE(run({binary("fieldflow"), "period", "close", "2026-03", "--db", db}).code == 0);
    CHECK(verify(db).code == 0);

    // Each of these passed `audit verify` before imports' rows, operators,
    // credentials and closed periods had entries of their own.
    auto qty =
        verify(tampered(dir, db, "qty.db", "UPDATE flows SET qty = 200 WHERE flow_id = 'F1'"));
    CHECK(qty.code == 1);
    CHECK(has(qty.out,
              "flows rows of import 2 (" + dir / "flows.csv" + ") were changed, added or deleted"));

    auto shipment =
        verify(tampered(dir, db, "shipment.db", "DELETE FROM shipments WHERE shipment_id = 'S2'"));
    CHECK(shipment.code == 1);
    CHECK(has(shipment.out, "shipments rows of import 1 (" + dir / "shipments.csv" +
                                ") were changed, added or deleted"));

    auto stock = verify(tampered(dir, db, "stock.db", "UPDATE stock_reports SET qty = 7"));
    CHECK(stock.code == 1);
    CHECK(has(stock.out, "stock_reports rows of import 3"));

    auto opening = verify(tampered(dir, db, "opening.db", "DELETE FROM openings"));
    CHECK(opening.code == 1);
    CHECK(has(opening.out, "openings rows of import 4"));

    auto renamed = verify(
        tampered(dir, db, "renamed.db", "UPDATE book_names SET text = 'T9' WHERE text = 'T2'"));
    CHECK(renamed.code == 1);
    CHECK(has(renamed.out, "flows rows of import 2"));

    auto promoted = verify(
        tampered(dir, db, "promoted.db", "UPDATE operators SET role = 'admin' WHERE name = 'li'"));
    CHECK(promoted.code == 1);
    CHECK(has(promoted.out, "operators row li was changed"));

    auto intruder =
        verify(tampered(dir, db, "intruder.db",
                        "INSERT INTO operators (name, role, password, changed_at_ms) "
                        "SELECT 'wang', 'admin', password, changed_at_ms FROM operators"));
    CHECK(intruder.code == 1);
    CHECK(has(intruder.out, "operators row wang is not in the log"));

    auto rebound =
        verify(tampered(dir, db, "rebound.db",
                        "UPDATE device_credentials SET rep = 'R2' WHERE device = 'dev-001'"));
    CHECK(rebound.code == 1);
    CHECK(has(rebound.out, "device_credentials row dev-001 was changed"));

    auto reopened = verify(tampered(dir, db, "reopened.db", "DELETE FROM closed_periods"));
    CHECK(reopened.code == 1);
    CHECK(has(reopened.out, "closed_periods row 2026-03 was deleted"));
}

TEST_CASE(
    "audit: a head kept outside the store catches the newest entries deleted with their "
    "rows") {
    TempDir dir;
    std::string db = covered_store(dir);
    // A close writes the head to the tool's log, for the operator to keep.
    auto closed = shell("period close 2026-03 --db '" + db + "'");
    REQUIRE(closed.code == 0);
    auto head_now = run({binary("fieldflow"), "audit", "head", "--db", db});
    REQUIRE(head_now.code == 0);
    std::string head = head_now.out.substr(0, head_now.out.size() - 1);
    CHECK(head.size() == head.find(':') + 65);
    CHECK(has(closed.out, "2026-03 closed head=" + head));
    auto intact = verify(db, head);
    CHECK(intact.code == 0);
    CHECK(has(intact.out, "entry " + head.substr(0, head.find(':')) + " is the recorded head"));

    // The newest import deleted with its rows and its entries: the chain
    // that is left holds, but not the head recorded after that import.
    std::ofstream(dir / "late.csv") << "flow_id,date,seller_id,buyer_id,product_id,lot,qty\n"
                                       "F9,2026-04-01,D1,T1,P1,L1,500\n";
    REQUIRE(run({binary("fieldflow"), "import", "flows", dir / "late.csv", "--db", db}).code == 0);
    std::string later = run({binary("fieldflow"), "audit", "head", "--db", db}).out;
    REQUIRE(!later.empty());
    later.pop_back();
    std::string cut =
        tampered(dir, db, "cut.db",
                 "DELETE FROM flows WHERE source = 5;"
                 "DELETE FROM book_sources WHERE id = 5;"
                 "DELETE FROM audit_log WHERE target IN ('book_sources', 'book_rows') "
                 "AND row = 5");
    CHECK(verify(cut).code == 0);  // what the head is there for
    auto behind = verify(cut, later);
    CHECK(behind.code == 1);
    std::string entry = later.substr(0, later.find(':'));
    CHECK(has(behind.out, "entry " + entry + ", the recorded head, is missing"));
    CHECK(verify(db, later).code == 0);
    // A head of another chain at that place is not this one's.
    std::string other = later.substr(0, later.size() - 1) + (later.back() == '0' ? "1" : "0");
    auto forged = verify(db, other);
    CHECK(forged.code == 1);
    CHECK(has(forged.out, "is not the recorded head"));
    CHECK(run({binary("fieldflow"), "audit", "verify", "--db", db, "--head", "12"}).code == 2);
}

TEST_CASE(
    "audit: a store from before these entries adopts its operators, credentials and "
    "closed periods as they are") {
    TempDir dir;
    std::string db = dir.store("gateway.db");
    REQUIRE(run({binary("fieldflow"), "device", "enroll", "--device", "dev-001", "--rep", "R1",
                 "--db", db})
                .code == 0);
    // As an older gateway left it: rows without entries of their own, and
    // the schema version it wrote.
    store_exec(db,
               "DELETE FROM audit_log;"
               "INSERT INTO operators (name, role, password, changed_at_ms) "
               "VALUES ('chen', 'admin', 'pbkdf2-sha256$1$00$00', 1);"
               "INSERT INTO closed_periods (period, closed_at_ms, closed_by) "
               "VALUES ('2026-01', 1, 'chen');" +
                   std::string(testing_postgresql() ? "UPDATE store_schema SET version = 5"
                                                    : "PRAGMA user_version = 5"));
    auto adopted = verify(db);
    CHECK(adopted.code == 0);
    CHECK(has(adopted.out, "intact: 3 entries"));
    auto listed = run({binary("fieldflow"), "audit", "list", "--db", db}).out;
    CHECK(has(listed, "gateway,adopted at upgrade,operators,0,1,chen"));
    CHECK(has(listed, "gateway,adopted at upgrade,device_credentials,0,1,dev-001"));
    // From then on a change is caught as on a new store.
    auto changed =
        verify(tampered(dir, db, "changed.db", "UPDATE closed_periods SET closed_by = 'someone'"));
    CHECK(changed.code == 1);
    CHECK(has(changed.out, "closed_periods row 2026-01 was changed"));
}

// The console's audit page (gateway/audit_pages.h) over HTTP, as an admin's
// browser asks for it.
#include <nlohmann/json.hpp>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/effectiveness.h"
#include "support/console_gateway.h"

namespace audit_page_test {

using nlohmann::json;

// Admin wang, admin liu of Shanghai only, reviewer zhang and viewer li,
// and one flagged check-in with a photo.
struct AuditConsole : ConsoleGateway {
    AuditConsole() {
        REQUIRE(add_operator(db, "wang", "admin", "tr0ub4dor") == 0);
        REQUIRE(add_operator(db, "liu", "admin", "stapled horse", "CN-SH") == 0);
        REQUIRE(add_operator(db, "zhang", "reviewer", "correct horse") == 0);
        REQUIRE(add_operator(db, "li", "viewer", "battery staple") == 0);
        Handheld h;
        REQUIRE(h({"init", "--device", "dev-001", "--rep", "R1"}).code == 0);
        REQUIRE(
            h({"checkin", "--terminal", "T1", "--lat", "31.3187", "--lon", "121.6099", "--accuracy",
               "5", "--photo", std::string(FIELDFLOW_SOURCE_DIR) + "/tests/browser/storefront.png"})
                .code == 0);
        REQUIRE(h({"sync", "--gateway", gateway.address()}).out.find("photos: 1 delivered") !=
                std::string::npos);
    }
    json page(const std::string& query, const Login& who) {
        auto reply = get("/api/audit" + query, who);
        INFO(reply.body);
        REQUIRE(reply.status == 200);
        return json::parse(reply.body);
    }
};

std::string china_date(std::int64_t ms) {
    return fieldflow::core::format_date(fieldflow::core::china_day(ms));
}

}  // namespace audit_page_test

TEST_CASE("audit page: admins read the log newest first, a page at a time, filtered") {
    audit_page_test::AuditConsole f;
    auto wang = f.login("wang", "tr0ub4dor");
    auto zhang = f.login("zhang", "correct horse");

    // Not for reviewers, viewers, or an admin of some territories only.
    for (const auto& account :
         {std::pair{"zhang", "correct horse"}, std::pair{"li", "battery staple"},
          std::pair{"liu", "stapled horse"}}) {
        // Named, not a structured binding: INFO captures it in a lambda.
        const char* name = account.first;
        auto who = f.login(name, account.second);
        for (const char* path : {"/api/audit", "/api/audit/verify"}) {
            auto refused = f.get(path, who);
            INFO(name, " ", path, " ", refused.body);
            CHECK(refused.status == 403);
            CHECK(refused.body.find(std::string("operator ") + name) != std::string::npos);
        }
    }

    // A photo opened by the reviewer is the newest personal_data entry, by name.
    auto queue = nlohmann::json::parse(f.get("/api/review", zhang).body);
    REQUIRE(queue["records"].size() == 1);
    std::string photo = queue["records"][0]["photo"]["sha256"];
    REQUIRE(f.get("/api/photos/" + photo, zhang).status == 200);
    auto opened = f.page("?kind=personal_data", wang);
    REQUIRE(opened["entries"].size() == 1);
    CHECK(opened["entries"][0]["action"] == "photo opened");
    CHECK(opened["entries"][0]["actor"] == "zhang");
    CHECK(opened["entries"][0]["kind"] == "personal_data");
    CHECK(opened["entries"][0]["detail"].get<std::string>().find("record 1 of dev-001 at T1") !=
          std::string::npos);
    CHECK(opened["more"] == false);

    // Login failures are entries too; then every entry, two at a time,
    // newest first, none twice, is the whole log.
    for (int i = 0; i < 3; ++i)
        CHECK(http_request(f.http(), "POST", "/api/login",
                           R"({"name":"nobody)" + std::to_string(i) + R"(","password":"x"})",
                           {{"Content-Type", "application/json"}})
                  .status == 401);
    long long total = store_scalar(f.db, "SELECT count(*) FROM audit_log");
    CHECK(total >= 8);
    std::vector<std::int64_t> ids;
    std::string before;
    for (int pages = 0; pages < 100; ++pages) {
        auto p = f.page("?limit=2" + before, wang);
        REQUIRE(p["entries"].size() <= 2);
        for (const auto& e : p["entries"]) ids.push_back(e["id"]);
        if (!p["more"].get<bool>()) break;
        before = "&before=" + std::to_string(ids.back());
    }
    REQUIRE(ids.size() == static_cast<std::size_t>(total));
    for (std::size_t i = 1; i < ids.size(); ++i) CHECK(ids[i] < ids[i - 1]);
    auto failures = f.page("?kind=operators&limit=2", wang);
    REQUIRE(failures["entries"].size() == 2);
    CHECK(failures["more"] == true);
    CHECK(failures["entries"][0]["actor"] == "nobody2");
    CHECK(failures["entries"][0]["action"] == "login failed");
    CHECK(failures["entries"][1]["actor"] == "nobody1");
    auto by_zhang = f.page("?actor=zhang", wang);
    REQUIRE(by_zhang["entries"].size() == 1);
    CHECK(by_zhang["entries"][0]["action"] == "photo opened");

    // China's days, both ends included.
    auto now = fieldflow::core::unix_now_ms();
    std::string today = audit_page_test::china_date(now);
    std::string yesterday = audit_page_test::china_date(now - 86'400'000);
    CHECK(f.page("?from=" + today + "&to=" + today + "&limit=200", wang)["entries"].size() ==
          static_cast<std::size_t>(total));
    CHECK(f.page("?to=" + yesterday, wang)["entries"].empty());

    // Bad input is named.
    auto bad_day = f.get("/api/audit?from=2026-13-01", wang);
    CHECK(bad_day.status == 400);
    CHECK(bad_day.body.find("from 2026-13-01 is not a date") != std::string::npos);
    auto bad_kind = f.get("/api/audit?kind=logins", wang);
    CHECK(bad_kind.status == 400);
    CHECK(bad_kind.body.find("kind logins") != std::string::npos);
    CHECK(f.get("/api/audit?limit=500", wang).status == 400);

    // The chain verifies as `fieldflow audit verify` says, then not once tampered with.
    auto verified = f.page("/verify", wang);
    CHECK(verified["intact"] == true);
    CHECK(verified["entries"] == total);
    CHECK(verified["head"].get<std::string>().starts_with(std::to_string(ids.front()) + ":"));
    store_exec(f.db, "UPDATE records SET rep = 'R9'");
    auto broken = f.page("/verify", wang);
    CHECK(broken["intact"] == false);
    CHECK(broken["problem"]["what"].get<std::string>().find("records row 1 was changed") !=
          std::string::npos);
}
