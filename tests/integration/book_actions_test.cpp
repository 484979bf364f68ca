// The daily work on the distribution books from the operators' console
// (gateway/book_actions.h) against a real gateway: an upload previewed and
// then confirmed, a GBK file, flow adjustments and month-end close, with
// the roles and the audit entries the CLI's commands have.

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "support/gateway_process.h"
#include "support/http_client.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/scratch_store.h"
#include "support/console_gateway.h"

using namespace fieldflow::test;
using nlohmann::json;

namespace {

const std::string flows_header = "flow_id,date,seller_id,buyer_id,product_id,lot,qty\n";

// A console gateway with reviewer zhang logged in and viewer li.
struct BookImportGateway : ConsoleGateway {
    BookImportGateway() {
        REQUIRE(add_operator(db, "zhang", "reviewer", "correct horse") == 0);
        REQUIRE(add_operator(db, "li", "viewer", "battery staple") == 0);
        zhang = login("zhang", "correct horse");
    }
    Login zhang;  // a reviewer, logged in

    HttpReply upload(const std::string& step, const std::string& query, const std::string& file,
                     const Login& who) {
        return http_request(
            gateway.http_address(), "POST", "/api/books/import/" + step + "?" + query, file,
            {{"Content-Type", "text/csv"}, {"Cookie", who.cookie}, {"X-CSRF-Token", who.csrf}});
    }
    long long count(const std::string& sql) { return store_scalar(db, sql); }
};

}  // namespace

TEST_CASE("book actions: a preview stores nothing and confirm stores what it showed") {
    BookImportGateway f;
    std::string file = flows_header +
                       "F1,2026-03-01,D1,T1,P1,L1,5\n"
                       "F2,2026-02-30,D1,T1,P1,L1,5\n"
                       "F3,2026-03-03,D1,T2,P1,L1,2\n";
    auto preview = f.upload("preview", "kind=flows&name=march.csv", file, f.zhang);
    REQUIRE(preview.status == 200);
    auto shown = json::parse(preview.body);
    CHECK(shown["encoding"] == "utf-8");
    CHECK(shown["stored"] == 2);
    CHECK(shown["unchanged"] == 0);
    CHECK(shown["bad_count"] == 1);
    REQUIRE(shown["bad"].size() == 1);
    CHECK(shown["bad"][0]["line"] == 3);
    CHECK(shown["bad"][0]["message"].get<std::string>().find("date is not a date") == 0);
    CHECK(shown["committed"] == false);
    CHECK(f.count("SELECT count(*) FROM flows") == 0);
    CHECK(f.count("SELECT count(*) FROM book_sources WHERE file = 'march.csv'") == 0);
    CHECK(f.count("SELECT count(*) FROM audit_log WHERE action = 'file imported'") == 0);

    auto confirm =
        f.upload("confirm", "kind=flows&name=march.csv&token=" + shown["token"].get<std::string>(),
                 file, f.zhang);
    REQUIRE(confirm.status == 200);
    auto stored = json::parse(confirm.body);
    CHECK(stored["committed"] == true);
    CHECK(stored["stored"] == 2);
    CHECK(stored["token"] == shown["token"]);
    CHECK(f.count("SELECT count(*) FROM flows") == 2);
    CHECK(f.count("SELECT rows_bad FROM book_sources WHERE file = 'march.csv'") == 1);
    CHECK(f.count("SELECT count(*) FROM audit_log WHERE action = 'file imported' AND "
                  "actor = 'zhang'") == 1);

    // The same file again: its good rows are already there.
    auto again = json::parse(f.upload("preview", "kind=flows&name=march.csv", file, f.zhang).body);
    CHECK(again["stored"] == 0);
    CHECK(again["unchanged"] == 2);
}

TEST_CASE("book actions: a confirm whose file or books changed since the preview stores nothing") {
    BookImportGateway f;
    std::string file = flows_header + "F1,2026-03-01,D1,T1,P1,L1,5\nF2,2026-03-02,D1,T1,P1,L1,4\n";
    auto shown = json::parse(f.upload("preview", "kind=flows&name=a.csv", file, f.zhang).body);
    std::string token = "&token=" + shown["token"].get<std::string>();

    // Another file of the same name and token: not what was previewed.
    auto other = f.upload("confirm", "kind=flows&name=a.csv" + token,
                          flows_header + "F1,2026-03-01,D1,T1,P1,L1,6\n", f.zhang);
    CHECK(other.status == 409);
    CHECK(f.count("SELECT count(*) FROM flows") == 0);

    // The books moved: one of its rows arrived by another file meanwhile.
    std::string first = flows_header + "F1,2026-03-01,D1,T1,P1,L1,5\n";
    auto one = json::parse(f.upload("preview", "kind=flows&name=b.csv", first, f.zhang).body);
    REQUIRE(f.upload("confirm", "kind=flows&name=b.csv&token=" + one["token"].get<std::string>(),
                     first, f.zhang)
                .status == 200);
    auto stale = f.upload("confirm", "kind=flows&name=a.csv" + token, file, f.zhang);
    CHECK(stale.status == 409);
    auto now = json::parse(stale.body);
    CHECK(now["committed"] == false);
    CHECK(now["stored"] == 1);
    CHECK(now["unchanged"] == 1);
    CHECK(f.count("SELECT count(*) FROM flows") == 1);
    CHECK(f.count("SELECT count(*) FROM book_sources WHERE file = 'a.csv'") == 0);
}

TEST_CASE("book actions: a GBK file is recognised, and a chosen encoding is kept to") {
    BookImportGateway f;
    // 上海医药 and 国药控股 in GBK.
    std::string gbk = flows_header + "F9,2026-03-05,D1,\xc9\xcf\xba\xa3\xd2\xbd\xd2\xa9,P1,L1,3\n" +
                      "F10,2026-03-06,\xb9\xfa\xd2\xa9\xbf\xd8\xb9\xc9,T1,P1,L1,x\n";
    auto preview = f.upload("preview", "kind=flows&name=gbk.csv", gbk, f.zhang);
    REQUIRE(preview.status == 200);
    auto shown = json::parse(preview.body);
    CHECK(shown["encoding"] == "gbk");
    CHECK(shown["stored"] == 1);
    REQUIRE(shown["bad"].size() == 1);
    CHECK(shown["bad"][0]["line"] == 3);
    auto confirm =
        f.upload("confirm", "kind=flows&name=gbk.csv&token=" + shown["token"].get<std::string>(),
                 gbk, f.zhang);
    REQUIRE(confirm.status == 200);
    CHECK(f.count("SELECT count(*) FROM book_names WHERE text = '上海医药'") == 1);

    // Told it is UTF-8, the same bytes are bad rows, not mojibake stored.
    auto as_utf8 = json::parse(
        f.upload("preview", "kind=flows&name=gbk.csv&encoding=utf-8", gbk, f.zhang).body);
    CHECK(as_utf8["stored"] == 0);
    CHECK(as_utf8["bad_count"] == 2);
    // Bytes that are not GBK either are refused as a whole, naming where.
    auto neither = f.upload("preview", "kind=flows&name=x.csv&encoding=gbk",
                            flows_header + "F1,2026-03-01,D1,\x81\x20,P1,L1,1\n", f.zhang);
    CHECK(neither.status == 400);
    CHECK(json::parse(neither.body)["error"].get<std::string>().find("not GBK text at byte") !=
          std::string::npos);
    auto kind = f.upload("preview", "kind=invoices&name=x.csv", gbk, f.zhang);
    CHECK(kind.status == 400);
}

TEST_CASE("book actions: a viewer reads the books but may not change them") {
    BookImportGateway f;
    auto li = f.login("li", "battery staple");
    std::string file = flows_header + "F1,2026-03-01,D1,T1,P1,L1,5\n";
    CHECK(f.upload("preview", "kind=flows&name=a.csv", file, li).status == 403);
    CHECK(f.post("/api/books/periods/close", {{"period", "2026-03"}}, li).status == 403);
    CHECK(f.post("/api/books/flows/adjust",
                 {{"flow_id", "F1"}, {"field", "qty"}, {"value", "4"}, {"reason", "typo"}}, li)
              .status == 403);
    CHECK(f.get("/api/books/periods", li).status == 200);
    CHECK(f.get("/api/books/adjustments", li).status == 200);
    CHECK(f.count("SELECT count(*) FROM closed_periods") == 0);
    // Without the CSRF token, not even a reviewer.
    auto forged = http_request(f.gateway.http_address(), "POST",
                               "/api/books/import/preview?kind=flows&name=a.csv", file,
                               {{"Content-Type", "text/csv"}, {"Cookie", f.zhang.cookie}});
    CHECK(forged.status == 403);
}

TEST_CASE(
    "book actions: close a month, a late row is booked as the CLI books it, reopen says why") {
    BookImportGateway f;
    auto closed = f.post("/api/books/periods/close",
                         {{"period", "2026-03"}, {"reason", "March reported"}}, f.zhang);
    REQUIRE(closed.status == 200);
    CHECK(f.post("/api/books/periods/close", {{"period", "2026-03"}}, f.zhang).status == 409);
    CHECK(f.count("SELECT count(*) FROM audit_log WHERE action = 'period closed' AND "
                  "actor = 'zhang'") >= 1);

    std::string late = flows_header + "F1,2026-03-30,D1,T1,P1,L1,5\n";
    auto shown = json::parse(f.upload("preview", "kind=flows&name=late.csv", late, f.zhang).body);
    CHECK(shown["late"] == 1);
    REQUIRE(f.upload("confirm",
                     "kind=flows&name=late.csv&token=" + shown["token"].get<std::string>(), late,
                     f.zhang)
                .status == 200);
    CHECK(f.count("SELECT rows_late FROM book_sources WHERE file = 'late.csv'") == 1);

    auto bare = f.post("/api/books/periods/reopen", {{"period", "2026-03"}}, f.zhang);
    CHECK(bare.status == 400);
    CHECK(json::parse(bare.body)["error"] == "a reopening needs a reason");
    auto reopened = f.post("/api/books/periods/reopen",
                           {{"period", "2026-03"}, {"reason", "late credit note"}}, f.zhang);
    REQUIRE(reopened.status == 200);
    CHECK(f.count("SELECT count(*) FROM audit_log WHERE action = 'period reopened' AND "
                  "actor = 'zhang'") >= 1);
    auto periods = json::parse(f.get("/api/books/periods", f.zhang).body);
    CHECK(periods["closed"].empty());
    REQUIRE(periods["log"].size() == 2);
    CHECK(periods["log"][0]["reason"] == "March reported");
    CHECK(periods["log"][1]["reason"] == "late credit note");
    CHECK(f.post("/api/books/periods/reopen", {{"period", "2026-03"}, {"reason", "again"}}, f.zhang)
              .status == 409);
}

TEST_CASE("book actions: a flow adjustment needs a reason and is audited") {
    BookImportGateway f;
    std::string file = flows_header + "F1,2026-03-01,D1,T1,P1,L1,5\n";
    auto shown = json::parse(f.upload("preview", "kind=flows&name=a.csv", file, f.zhang).body);
    REQUIRE(f.upload("confirm", "kind=flows&name=a.csv&token=" + shown["token"].get<std::string>(),
                     file, f.zhang)
                .status == 200);
    auto bare = f.post("/api/books/flows/adjust",
                       {{"flow_id", "F1"}, {"field", "qty"}, {"value", "4"}}, f.zhang);
    CHECK(bare.status == 400);
    CHECK(json::parse(bare.body)["error"] == "an adjustment needs a reason");
    auto none =
        f.post("/api/books/flows/adjust",
               {{"flow_id", "F404"}, {"field", "qty"}, {"value", "4"}, {"reason", "x"}}, f.zhang);
    CHECK(none.status == 400);
    CHECK(json::parse(none.body)["error"] == "no flow F404");
    auto done =
        f.post("/api/books/flows/adjust",
               {{"flow_id", "F1"}, {"field", "qty"}, {"value", "4"}, {"reason", "typo"}}, f.zhang);
    REQUIRE(done.status == 200);
    CHECK(json::parse(done.body)["old_value"] == "5");
    CHECK(f.count("SELECT count(*) FROM audit_log WHERE action = 'flow adjusted' AND "
                  "actor = 'zhang'") == 1);
    auto listed = json::parse(f.get("/api/books/adjustments", f.zhang).body);
    REQUIRE(listed["adjustments"].size() == 1);
    CHECK(listed["adjustments"][0]["reason"] == "typo");
}

TEST_CASE("book actions: a file is at most 8 MiB, and only the imports take bodies that large") {
    BookImportGateway f;
    // Refused from the head alone: no need to send the body.
    auto head = [&](const std::string& target, std::size_t length) {
        return http_raw(f.gateway.http_address(),
                        "POST " + target + " HTTP/1.1\r\nHost: " + f.gateway.http_address() +
                            "\r\nContent-Type: text/csv\r\nCookie: " + f.zhang.cookie +
                            "\r\nX-CSRF-Token: " + f.zhang.csrf +
                            "\r\nContent-Length: " + std::to_string(length) + "\r\n\r\n");
    };
    CHECK(head("/api/books/import/preview?kind=flows&name=big.csv", 8 * 1024 * 1024 + 1)
              .rfind("HTTP/1.1 413", 0) == 0);
    // Any other request keeps the listener's 64 KiB.
    CHECK(head("/api/books/flows/adjust", 100 * 1024).rfind("HTTP/1.1 413", 0) == 0);
    std::string medium = flows_header;
    while (medium.size() < 200 * 1024)
        medium += "F" + std::to_string(medium.size()) + ",2026-03-01,D1,T1,P1,L1,1\n";
    auto fits = f.upload("preview", "kind=flows&name=medium.csv", medium, f.zhang);
    CHECK(fits.status == 200);
    CHECK(json::parse(fits.body)["stored"].get<int>() > 1000);
}
