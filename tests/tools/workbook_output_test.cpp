// `fieldflow ledger|anomalies|effectiveness --format xlsx --out FILE` run in
// this process, the workbook read back with openpyxl as a spreadsheet would.

#include <doctest/doctest.h>

#include "support/master_fixture.h"
#include "support/process.h"
#include "support/scratch_store.h"
#include "support/workbook.h"
#include "support/write_file.h"
#include "tools/environment.h"
#include "tools/run_fieldflow.h"

using namespace fieldflow;
using fieldflow::test::Environment;
using fieldflow::test::run_fieldflow;
using fieldflow::test::write_file;

namespace {

// Books for March 2026 with one distributor and product, and a flow whose
// id a spreadsheet would run as a formula.
std::string books(const test::TempDir& dir, test::ScratchStore& store) {
    write_file(dir / "opening.csv", "holder_id,product_id,period,qty\nD1,P1,2026-03,100\n");
    write_file(dir / "shipments.csv",
               "shipment_id,date,distributor_id,product_id,lot,expiry,qty\n"
               "S1,2026-03-02,D1,P1,L1,2028-01-01,50\n");
    write_file(dir / "flows.csv",
               "flow_id,date,seller_id,buyer_id,product_id,lot,qty\n"
               "F1,2026-03-05,D1,T1,P1,L1,30\n");
    write_file(dir / "stock.csv",
               "report_id,date,holder_id,product_id,lot,qty\n"
               "R1,2026-03-31,D1,P1,L1,117\n");
    for (const char* kind : {"opening", "shipments", "flows", "stock"})
        REQUIRE(run_fieldflow(
                    {"import", kind, dir / (std::string(kind) + ".csv"), "--db", store.location()})
                    .code == 0);
    // Dated in a closed month: the anomaly scan names it by its id.
    REQUIRE(run_fieldflow({"period", "close", "2026-03", "--db", store.location()}).code == 0);
    write_file(dir / "late.csv",
               "flow_id,date,seller_id,buyer_id,product_id,lot,qty\n"
               "=1+2,2026-03-20,D1,T1,P1,L1,3\n");
    REQUIRE(run_fieldflow({"import", "flows", dir / "late.csv", "--db", store.location()}).code ==
            0);
    return test::write_master_fixture(dir.path());
}

// A store holding those books, and the master folder beside it.
struct Books {
    test::TempDir dir;
    test::ScratchStore store{dir.path(), "books.db"};
    std::string master = books(dir, store);

    // `fieldflow ledger --period 2026-03` of these books, as a workbook in `file`.
    test::Ran ledger_xlsx(const std::string& file) {
        return run_fieldflow({"ledger", "--period", "2026-03", "--db", store.location(), "--master",
                              master, "--format", "xlsx", "--out", file});
    }
};

}  // namespace

TEST_CASE("tools workbook: the ledger as xlsx has typed numbers, dates, a frozen header") {
    Books b;
    std::string file = b.dir / "ledger.xlsx";
    Environment english("LC_ALL", "en_US.UTF-8");
    auto ran = b.ledger_xlsx(file);
    REQUIRE_MESSAGE(ran.code == 0, ran.err);
    CHECK(ran.out.empty());

    auto book = test::read_workbook(file);
    REQUIRE(book.is_object());
    const auto& sheet = book["sheets"][0];
    CHECK(sheet["name"] == "Ledger");
    CHECK(sheet["freeze"] == "A2");
    const auto& header = sheet["rows"][0];
    CHECK(header[0]["v"] == "Distributor");
    CHECK(header[2]["v"] == "Opening");
    CHECK(header[7]["v"] == "Reported on");
    REQUIRE(sheet["rows"].size() == 2);
    const auto& row = sheet["rows"][1];
    CHECK(row[0] == nlohmann::json{{"t", "s"}, {"v", "D1"}});
    // 100 + 50 − 30 − 3 (the late flow is booked in April): closing 120 in March.
    CHECK(row[2] == nlohmann::json{{"t", "n"}, {"v", 100}});
    CHECK(row[5] == nlohmann::json{{"t", "n"}, {"v", 120}});
    CHECK(row[6] == nlohmann::json{{"t", "n"}, {"v", 117}});
    CHECK(row[7] == nlohmann::json{{"t", "d"}, {"v", "2026-03-31T00:00:00"}});
    CHECK(row[8] == nlohmann::json{{"t", "n"}, {"v", -3}});
    // Wide enough for "Distributor" and for a date.
    CHECK(sheet["widths"]["A"].get<double>() >= 11);
    CHECK(sheet["widths"]["H"].get<double>() >= 10);
}

TEST_CASE("tools workbook: headings in Chinese under a Chinese locale, widths counting double") {
    Books b;
    std::string file = b.dir / "ledger.xlsx";
    Environment chinese("LC_ALL", "zh_CN.UTF-8");
    auto ran = b.ledger_xlsx(file);
    REQUIRE_MESSAGE(ran.code == 0, ran.err);
    auto book = test::read_workbook(file);
    REQUIRE(book.is_object());
    const auto& sheet = book["sheets"][0];
    CHECK(sheet["name"] == "进销存台账");
    CHECK(sheet["rows"][0][0]["v"] == "经销商");
    CHECK(sheet["rows"][0][6]["v"] == "报告库存");
    // Four Chinese characters are eight columns wide.
    CHECK(sheet["widths"]["G"].get<double>() >= 8);
}

TEST_CASE("tools workbook: an anomaly's id that starts with = stays text") {
    Books b;
    std::string file = b.dir / "anomalies.xlsx";
    Environment english("LC_ALL", "C");
    auto ran = run_fieldflow({"anomalies", "--db", b.store.location(), "--master", b.master,
                              "--format", "xlsx", "--out", file});
    REQUIRE_MESSAGE(ran.code == 0, ran.err);
    auto book = test::read_workbook(file);
    REQUIRE(book.is_object());
    bool seen = false;
    for (const auto& row : book["sheets"][0]["rows"])
        if (row[0]["v"] == "=1+2") {
            seen = true;
            CHECK(row[0]["t"] == "s");
            CHECK(row[2]["v"] == "closed_period");
        }
    CHECK(seen);
}

TEST_CASE("tools workbook: effectiveness as xlsx takes the view's columns") {
    Books b;
    std::string file = b.dir / "grades.xlsx";
    auto ran = run_fieldflow({"effectiveness", "--period", "2026-03", "--db", b.store.location(),
                              "--master", b.master, "--format", "xlsx", "--out", file});
    REQUIRE_MESSAGE(ran.code == 0, ran.err);
    auto book = test::read_workbook(file);
    REQUIRE(book.is_object());
    const auto& rows = book["sheets"][0]["rows"];
    REQUIRE(rows.size() >= 2);
    CHECK(rows[0].size() == 6);
    CHECK(rows[1][0] == nlohmann::json{{"t", "s"}, {"v", "A"}});
    CHECK(rows[1][1]["t"] == "n");
}

TEST_CASE("tools workbook: xlsx without --out is refused, and --out without xlsx") {
    Books b;
    auto bare = run_fieldflow({"ledger", "--period", "2026-03", "--db", b.store.location(),
                               "--master", b.master, "--format", "xlsx"});
    CHECK(bare.code == 2);
    CHECK(bare.out.empty());
    CHECK(bare.err ==
          "fieldflow ledger: --format xlsx writes a workbook, which a terminal cannot show: "
          "name the file with --out FILE.xlsx\n");
    auto stray = run_fieldflow(
        {"anomalies", "--db", b.store.location(), "--master", b.master, "--out", b.dir / "a.xlsx"});
    CHECK(stray.code == 2);
    CHECK(stray.err ==
          "fieldflow anomalies: --out is for --format xlsx; csv goes to standard "
          "output\n");
}

TEST_CASE("tools workbook: a file that cannot be written is named, and nothing is left") {
    Books b;
    std::string file = b.dir / "no-such-folder/ledger.xlsx";
    auto ran = b.ledger_xlsx(file);
    CHECK(ran.code == 1);
    CHECK(ran.err.rfind("fieldflow ledger: cannot write " + file + ": ", 0) == 0);
}
