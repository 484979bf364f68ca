// The distribution books through the operator's command line: importing
// files good and bad, the ledger, month-end close, adjustments, and the
// anomaly scan measured against demo-data's answer key.

#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "support/master_fixture.h"
#include "support/process.h"
#include "support/write_file.h"

using namespace fieldflow::test;

namespace {

struct Outcome {
    int code = -1;
    std::string out, err;
};

Outcome cli(const TempDir& dir, std::vector<std::string> args) {
    args.insert(args.begin(), binary("fieldflow"));
    static int calls = 0;
    std::string err_file = dir / ("stderr-" + std::to_string(++calls) + ".txt");
    Process p(args, err_file);
    Outcome o;
    o.out = p.read_all();
    o.code = p.wait().value_or(-1);
    std::ifstream err(err_file);
    o.err.assign(std::istreambuf_iterator<char>(err), std::istreambuf_iterator<char>());
    return o;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> all;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) all.push_back(line);
    return all;
}

// (record_id, kind, reason) of a CSV whose first three columns are those.
std::set<std::tuple<std::string, std::string, std::string>> findings(const std::string& csv) {
    std::set<std::tuple<std::string, std::string, std::string>> all;
    auto rows = lines(csv);
    for (std::size_t i = 1; i < rows.size(); ++i) {
        std::istringstream row(rows[i]);
        std::string id, kind, reason;
        std::getline(row, id, ',');
        std::getline(row, kind, ',');
        std::getline(row, reason, ',');
        all.emplace(id, kind, reason);
    }
    return all;
}

// The demo data set imported as an operator would: the late file after
// the first month is closed.
void import_demo(const TempDir& dir, const std::string& data, const std::string& db) {
    for (const char* kind : {"opening", "shipments", "flows", "stock"}) {
        auto o = cli(dir, {"import", kind, data + "/" + kind + ".csv", "--db", db});
        REQUIRE_MESSAGE(o.code == 0, o.err);
    }
    REQUIRE(cli(dir, {"period", "close", "2026-01", "--db", db}).code == 0);
    auto late = cli(dir, {"import", "flows", data + "/flows-late.csv", "--db", db});
    REQUIRE_MESSAGE(late.code == 0, late.err);
}

void check_against_answer_key(unsigned seed, unsigned terminals, unsigned months,
                              unsigned anomalies) {
    TempDir dir;
    std::string data = dir / "data", db = dir.store("books.db");
    auto made = cli(dir, {"demo-data", "--out", data, "--seed", std::to_string(seed), "--terminals",
                          std::to_string(terminals), "--months", std::to_string(months),
                          "--anomalies", std::to_string(anomalies)});
    REQUIRE_MESSAGE(made.code == 0, made.err);
    import_demo(dir, data, db);
    auto scan = cli(dir, {"anomalies", "--db", db, "--master", data + "/master"});
    REQUIRE_MESSAGE(scan.code == 0, scan.err);

    std::ifstream key_file(data + "/answer-key.csv");
    std::string key_text((std::istreambuf_iterator<char>(key_file)),
                         std::istreambuf_iterator<char>());
    auto expected = findings(key_text), found = findings(scan.out);
    std::size_t hits = 0;
    for (const auto& f : found) hits += expected.count(f);
    INFO("found:\n" << scan.out);
    CHECK(expected.size() >= 8 * months);  // every reason, most months
    std::set<std::string> reasons;
    for (const auto& [id, kind, reason] : expected) reasons.insert(reason);
    CHECK(reasons.size() == 8);
    CHECK(hits == expected.size());  // recall 1
    CHECK(hits == found.size());     // precision 1
}

}  // namespace

TEST_CASE("distribution: the anomaly scan finds every injected anomaly and nothing else") {
    check_against_answer_key(3, 60, 3, 3);
    check_against_answer_key(11, 400, 6, 12);
}

TEST_CASE("distribution: bad rows are named by file and line, the good ones land") {
    TempDir dir;
    std::string db = dir.store("books.db"), file = dir / "flows.csv";
    write_file(file,
               "flow_id,date,seller_id,buyer_id,product_id,lot,qty\n"
               "F1,2026-03-01,D1,T1,P1,L1,5\n"
               "F2,2026-02-30,D1,T1,P1,L1,5\n"
               "F3,2026-03-02,D1,T1,P1,L1,many\n"
               "F4,2026-03-02,,T1,P1,L1,3\n"
               "F5,2026-03-03,D1,T1,P1,L1,0\n"
               "F6,2026-03-03,D1,T1,P1,,-2\n");
    auto o = cli(dir, {"import", "flows", file, "--db", db});
    CHECK(o.code == 1);
    CHECK(o.out.find("2 rows stored") != std::string::npos);
    CHECK(o.out.find("4 bad") != std::string::npos);
    CHECK(o.err.find(file + ":3: date is not a date") != std::string::npos);
    CHECK(o.err.find(file + ":4: qty is not an integer") != std::string::npos);
    CHECK(o.err.find(file + ":5: seller_id is empty") != std::string::npos);
    CHECK(o.err.find(file + ":6: qty 0 is zero") != std::string::npos);

    SUBCASE("the same file again changes nothing, and repeats its errors") {
        auto again = cli(dir, {"import", "flows", file, "--db", db});
        CHECK(again.code == 1);
        CHECK(again.out.find("0 rows stored, 2 already there") != std::string::npos);
        CHECK(again.err == o.err);
    }
    SUBCASE("a clean file imported again is recognised and not read") {
        std::string clean = dir / "clean.csv";
        write_file(clean,
                   "flow_id,date,seller_id,buyer_id,product_id,lot,qty\n"
                   "F9,2026-03-09,D1,T1,P1,L1,1\n");
        REQUIRE(cli(dir, {"import", "flows", clean, "--db", db}).code == 0);
        auto again = cli(dir, {"import", "flows", clean, "--db", db});
        CHECK(again.code == 0);
        CHECK(again.out.find("nothing changed") != std::string::npos);
    }
    SUBCASE("an overlapping file stores only what is new, and keeps a conflicting id aside") {
        std::string more = dir / "more.csv";
        write_file(more,
                   "flow_id,date,seller_id,buyer_id,product_id,lot,qty\n"
                   "F1,2026-03-01,D1,T1,P1,L1,5\n"
                   "F6,2026-03-03,D1,T1,P1,,-3\n"
                   "F7,2026-03-04,D1,T1,P1,L1,1\n");
        auto again = cli(dir, {"import", "flows", more, "--db", db});
        CHECK(again.code == 0);
        CHECK(again.out.find("1 rows stored, 1 already there, 1 with a flow id taken") !=
              std::string::npos);
    }
}

TEST_CASE("distribution: a missing column is one error for the whole file") {
    TempDir dir;
    std::string file = dir / "stock.csv";
    write_file(file, "report_id,date,holder_id,qty\nR1,2026-03-01,D1,5\n");
    auto o = cli(dir, {"import", "stock", file, "--db", dir.store("books.db")});
    CHECK(o.code == 1);
    CHECK(o.err.find(file + ":1:") != std::string::npos);
    CHECK(o.err.find("product_id") != std::string::npos);
}

TEST_CASE("distribution: GBK exports, and UTF-8 with a byte-order mark") {
    TempDir dir;
    std::string db = dir.store("books.db");
    // "批号一" (lot one) in GBK: C5FA BAC5 D2BB.
    std::string gbk_lot = "\xC5\xFA\xBA\xC5\xD2\xBB";
    std::string gbk = dir / "gbk.csv";
    write_file(gbk,
               "shipment_id,date,distributor_id,product_id,lot,expiry,qty\n"
               "S1,2026-03-01,D1,P1," +
                   gbk_lot + ",2028-01-01,10\n");
    auto as_utf8 = cli(dir, {"import", "shipments", gbk, "--db", db});
    CHECK(as_utf8.code == 1);
    CHECK(as_utf8.err.find(gbk + ":2: lot is not UTF-8 text (a GBK file needs --encoding gbk)") !=
          std::string::npos);
    auto as_gbk = cli(dir, {"import", "shipments", gbk, "--db", db, "--encoding", "gbk"});
    CHECK(as_gbk.code == 0);
    CHECK(as_gbk.out.find("1 rows stored") != std::string::npos);

    std::string bom = dir / "bom.csv";
    write_file(bom,
               "\xEF\xBB\xBFshipment_id,date,distributor_id,product_id,lot,expiry,qty\n"
               "S2,2026-03-01,D1,P1,批号二,2028-01-01,4\n");
    auto with_bom = cli(dir, {"import", "shipments", bom, "--db", db});
    CHECK_MESSAGE(with_bom.code == 0, with_bom.err);

    std::string master = write_master_fixture(dir.path());
    auto ledger = cli(dir, {"ledger", "--period", "2026-03", "--db", db, "--master", master});
    CHECK(ledger.out.find("D1,P1,0,14,0,14") != std::string::npos);
}

TEST_CASE("distribution: ledger, close, a late row, reopen and an adjustment") {
    TempDir dir;
    std::string db = dir.store("books.db"), master = write_master_fixture(dir.path());
    write_file(dir / "opening.csv", "holder_id,product_id,period,qty\nD1,P1,2026-03,100\n");
    write_file(dir / "shipments.csv",
               "shipment_id,date,distributor_id,product_id,lot,expiry,qty\n"
               "S1,2026-03-02,D1,P1,L1,2028-01-01,50\n");
    write_file(dir / "flows.csv",
               "flow_id,date,seller_id,buyer_id,product_id,lot,qty\n"
               "F1,2026-03-05,D1,T1,P1,L1,30\n"
               "F2,2026-03-09,D1,T1,P1,L1,-4\n");
    write_file(dir / "stock.csv",
               "report_id,date,holder_id,product_id,lot,qty\n"
               "R1,2026-03-31,D1,P1,L1,20\n"
               "R1,2026-03-31,D1,P1,,104\n");
    for (const char* kind : {"opening", "shipments", "flows", "stock"})
        REQUIRE(cli(dir, {"import", kind, dir / (std::string(kind) + ".csv"), "--db", db}).code ==
                0);
    auto ledger = [&](const char* period) {
        return cli(dir, {"ledger", "--period", period, "--db", db, "--master", master}).out;
    };
    // 100 + 50 − (30 − 4) = 124, as reported in two lines (20 + 104).
    CHECK(lines(ledger("2026-03")) ==
          std::vector<std::string>{
              "holder,product,opening,inbound,outbound,closing,last_reported,reported_on,variance",
              "D1,P1,100,50,26,124,124,2026-03-31,0"});

    REQUIRE(cli(dir, {"period", "close", "2026-03", "--db", db, "--by", "chen"}).code == 0);
    write_file(
        dir / "late.csv",
        "flow_id,date,seller_id,buyer_id,product_id,lot,qty\nF3,2026-03-20,D1,T1,P1,L1,10\n");
    auto late = cli(dir, {"import", "flows", dir / "late.csv", "--db", db});
    CHECK(late.out.find("1 dated in a closed period") != std::string::npos);
    CHECK(lines(ledger("2026-03"))[1] == "D1,P1,100,50,26,124,124,2026-03-31,0");  // frozen
    CHECK(lines(ledger("2026-04"))[1] == "D1,P1,124,0,10,114,,,");

    auto scan = cli(dir, {"anomalies", "--period", "2026-04", "--db", db, "--master", master});
    CHECK(findings(scan.out) == std::set<std::tuple<std::string, std::string, std::string>>{
                                    {"F3", "flow", "closed_period"}});

    auto refused = cli(dir, {"period", "reopen", "2026-03", "--db", db});
    CHECK(refused.code == 2);
    CHECK(refused.err.find("--reason") != std::string::npos);
    REQUIRE(cli(dir, {"period", "reopen", "2026-03", "--reason", "auditor's correction", "--db", db,
                      "--by", "wang"})
                .code == 0);
    auto log = lines(cli(dir, {"period", "list", "--db", db}).out);
    REQUIRE(log.size() == 2);
    CHECK(log[0].rfind("2026-03 close by chen", 0) == 0);
    CHECK(log[1].find("reopen by wang") != std::string::npos);
    CHECK(log[1].find(": auditor's correction") != std::string::npos);

    auto adjust = cli(dir, {"flows", "adjust", "F1", "--qty", "25", "--reason",
                            "distributor's corrected export", "--db", db, "--by", "li"});
    CHECK_MESSAGE(adjust.code == 0, adjust.err);
    CHECK(adjust.out.find("qty 30 -> 25") != std::string::npos);
    CHECK(lines(ledger("2026-03"))[1] == "D1,P1,100,50,21,129,124,2026-03-31,-5");
    auto history = lines(cli(dir, {"flows", "adjustments", "--db", db}).out);
    REQUIRE(history.size() == 2);
    CHECK(history[1].rfind("F1,qty,30,25,distributor's corrected export,li,", 0) == 0);

    auto unknown = cli(dir, {"flows", "adjust", "F9", "--qty", "1", "--reason", "x", "--db", db});
    CHECK(unknown.code == 1);
    CHECK(unknown.err.find("no flow F9") != std::string::npos);
}
