// The console's downloads from a real gateway (gateway/export_routes.h):
// behind the login, named in Chinese as RFC 6266 and 5987 say, typed
// workbooks read back with openpyxl, CSV with the formula guard, the review
// queue with its decisions; and the ledger's workbook downloaded in a real
// browser (tests/browser/export.mjs).

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <string>

#include "support/gateway_process.h"
#include "support/http_client.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/scratch_store.h"
#include "support/wire_client.h"
#include "support/workbook.h"

using namespace fieldflow::test;
using nlohmann::json;

namespace {

// A gateway whose books hold March 2026 for D1 and P1 (ledger closing 120,
// reported 117), a flow with a formula for an id booked late, and a
// reviewer logged in.
struct ClosedPeriodGateway {
    TempDir dir;
    std::string db = dir.store("gateway.db");
    std::string master = write_master_fixture(dir.path());
    GatewayProcess gateway{
        master, db, "127.0.0.1:0", dir / "gateway.log", {"--http", "127.0.0.1:0"}};
    std::string cookie, csrf;

    ClosedPeriodGateway() {
        write("opening.csv", "holder_id,product_id,period,qty\nD1,P1,2026-03,100\n");
        write("shipments.csv",
              "shipment_id,date,distributor_id,product_id,lot,expiry,qty\n"
              "S1,2026-03-02,D1,P1,L1,2028-01-01,50\n");
        write("flows.csv",
              "flow_id,date,seller_id,buyer_id,product_id,lot,qty\nF1,2026-03-05,D1,T1,P1,L1,30\n");
        write("stock.csv",
              "report_id,date,holder_id,product_id,lot,qty\nR1,2026-03-31,D1,P1,L1,117\n");
        for (const char* kind : {"opening", "shipments", "flows", "stock"})
            REQUIRE(run({binary("fieldflow"), "import", kind, dir / (std::string(kind) + ".csv"),
                         "--db", db})
                        .code == 0);
        REQUIRE(run({binary("fieldflow"), "period", "close", "2026-03", "--db", db}).code == 0);
        write(
            "late.csv",
            "flow_id,date,seller_id,buyer_id,product_id,lot,qty\n=1+2,2026-03-20,D1,T1,P1,L1,3\n");
        REQUIRE(run({binary("fieldflow"), "import", "flows", dir / "late.csv", "--db", db}).code ==
                0);
        REQUIRE(run({"/bin/sh", "-c",
                     "echo 'night shift 42' | " + binary("fieldflow") +
                         " operator add chen --role reviewer --db " + db + " >/dev/null"})
                    .code == 0);
        auto login = http_request(gateway.http_address(), "POST", "/api/login",
                                  json{{"name", "chen"}, {"password", "night shift 42"}}.dump(),
                                  {{"Content-Type", "application/json"}});
        REQUIRE(login.status == 200);
        cookie = login.set_cookie.substr(0, login.set_cookie.find(';'));
        csrf = json::parse(login.body)["csrf"];
    }
    void write(const std::string& name, const std::string& text) {
        std::ofstream(dir / name) << text;
    }
    HttpReply get(const std::string& target, HttpHeaders headers = {}) {
        headers.emplace_back("Cookie", cookie);
        return http_request(gateway.http_address(), "GET", target, {}, headers);
    }
    json workbook(const HttpReply& reply, const std::string& name) {
        std::ofstream(dir / name, std::ios::binary) << reply.body;
        return read_workbook(dir / name);
    }
};

}  // namespace

TEST_CASE("export: the ledger as a workbook, behind the login, named in Chinese") {
    ClosedPeriodGateway f;
    CHECK(http_get(f.gateway.http_address(), "/api/export/ledger.xlsx?period=2026-03").status ==
          401);

    auto reply = f.get("/api/export/ledger.xlsx?period=2026-03&lang=zh-CN");
    REQUIRE(reply.status == 200);
    CHECK(reply.content_type ==
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    // 进销存台账 in UTF-8, percent-encoded; the ASCII name for older browsers.
    CHECK(reply.header("Content-Disposition") ==
          "attachment; filename=\"ledger-2026-03.xlsx\"; "
          "filename*=UTF-8''%E8%BF%9B%E9%94%80%E5%AD%98%E5%8F%B0%E8%B4%A6-2026-03.xlsx");
    CHECK(reply.header("Cache-Control") == "no-store");

    auto book = f.workbook(reply, "ledger.xlsx");
    REQUIRE(book.is_object());
    const auto& sheet = book["sheets"][0];
    CHECK(sheet["name"] == "进销存台账");
    CHECK(sheet["freeze"] == "A2");
    CHECK(sheet["rows"][0][0]["v"] == "经销商");
    CHECK(sheet["rows"][0][5]["v"] == "期末");
    REQUIRE(sheet["rows"].size() == 2);
    CHECK(sheet["rows"][1][5] == json{{"t", "n"}, {"v", 120}});
    CHECK(sheet["rows"][1][7] == json{{"t", "d"}, {"v", "2026-03-31T00:00:00"}});
    CHECK(sheet["rows"][1][9]["v"] == "否");  // 3 off 120 is within the tolerance

    // English when the browser prefers it and the page does not say.
    auto english =
        f.get("/api/export/channel.xlsx?period=2026-03", {{"Accept-Language", "en-GB,en;q=0.9"}});
    REQUIRE(english.status == 200);
    CHECK(english.header("Content-Disposition") ==
          "attachment; filename=\"channel-2026-03.xlsx\"; "
          "filename*=UTF-8''Channel%20stock-2026-03.xlsx");
    auto channel = f.workbook(english, "channel.xlsx");
    REQUIRE(channel.is_object());
    CHECK(channel["sheets"][0]["rows"][0][1]["v"] == "Channel stock");
}

TEST_CASE("export: CSV for Excel, with the byte-order mark and the formula guard") {
    ClosedPeriodGateway f;
    auto reply = f.get("/api/export/anomalies.csv?lang=zh-CN");
    REQUIRE(reply.status == 200);
    CHECK(reply.content_type == "text/csv; charset=utf-8");
    CHECK(reply.body.rfind("\xEF\xBB\xBF记录,类型,原因,月份,说明\n", 0) == 0);
    CHECK(reply.body.find("\n'=1+2,flow,closed_period,2026-04,") != std::string::npos);
    // The month named: March has no finding, April has the late flow.
    CHECK(f.get("/api/export/anomalies.csv?period=2026-03").body.find("=1+2") == std::string::npos);

    auto workbook = f.get("/api/export/anomalies.xlsx?period=2026-04&lang=en");
    auto book = f.workbook(workbook, "anomalies.xlsx");
    REQUIRE(book.is_object());
    CHECK(book["sheets"][0]["rows"][1][0] == json{{"t", "s"}, {"v", "=1+2"}});
}

TEST_CASE("export: the review queue with its decisions, times in the browser's zone") {
    ClosedPeriodGateway f;
    WireClient device(f.gateway.address());
    REQUIRE(device.handshake("dev-001"));
    device.batch({check_in_record("dev-001", 1, "T1", 31.3000, 121.6000)});  // far from T1
    REQUIRE(device.receive()->isAck());
    auto open = json::parse(f.get("/api/review").body);
    REQUIRE(open["records"].size() == 1);
    auto id = open["records"][0]["id"].get<long long>();
    auto settled = http_request(
        f.gateway.http_address(), "POST", "/api/review/" + std::to_string(id),
        json{{"decision", "approve"}, {"comment", "=road works"}}.dump(),
        {{"Content-Type", "application/json"}, {"Cookie", f.cookie}, {"X-CSRF-Token", f.csrf}});
    REQUIRE(settled.status == 200);

    CHECK(f.get("/api/export/review.xlsx").status == 200);  // the open ones: none left
    auto reply = f.get("/api/export/review.xlsx?state=all&lang=zh-CN&tz=480");
    REQUIRE(reply.status == 200);
    CHECK(reply.header("Content-Disposition").find("filename=\"review.xlsx\"") !=
          std::string::npos);
    auto book = f.workbook(reply, "review.xlsx");
    REQUIRE(book.is_object());
    const auto& rows = book["sheets"][0]["rows"];
    REQUIRE(rows.size() == 2);
    std::map<std::string, json> cell;
    for (std::size_t c = 0; c < rows[0].size(); ++c) cell[rows[0][c]["v"]] = rows[1][c];
    CHECK(cell["记录"] == json{{"t", "n"}, {"v", id}});
    CHECK(cell["终端"]["v"] == "T1");
    CHECK(cell["采集时间"]["t"] == "d");
    CHECK(cell["审核时间"]["t"] == "d");
    CHECK(cell["审核结果"]["v"] == "通过");
    CHECK(cell["理由"] == json{{"t", "s"}, {"v", "=road works"}});
    CHECK(cell["原因"]["v"].get<std::string>().find("(outside_geofence)") != std::string::npos);

    auto csv = f.get("/api/export/review.csv?state=all&tz=-300&lang=en").body;
    CHECK(csv.find(",'=road works,chen,") != std::string::npos);
    CHECK(csv.find("-05:00") != std::string::npos);
}

TEST_CASE("export: what cannot be downloaded is refused and says why") {
    ClosedPeriodGateway f;
    auto missing = f.get("/api/export/flows.xlsx?period=2026-03");
    CHECK(missing.status == 404);
    CHECK(missing.body.find("no table \\\"flows\\\"") != std::string::npos);
    CHECK(f.get("/api/export/ledger.pdf?period=2026-03").status == 404);
    auto month = f.get("/api/export/ledger.csv?period=March");
    CHECK(month.status == 400);
    CHECK(month.body.find("period expects YYYY-MM") != std::string::npos);
    auto view = f.get("/api/export/effectiveness.xlsx?period=2026-03&view=period");
    CHECK(view.status == 400);
    CHECK(f.get("/api/export/review.xlsx?tz=east").status == 400);
    CHECK(http_request(f.gateway.http_address(), "POST", "/api/export/ledger.xlsx?period=2026-03",
                       "{}", {{"Content-Type", "application/json"}, {"Cookie", f.cookie}})
              .status == 405);
}

// The download a browser makes is the same route; only SQLite is needed for that.
TEST_CASE("browser: an operator downloads the month's ledger as .xlsx" *
          doctest::test_suite("no gateway store")) {
    ClosedPeriodGateway f;
    std::string saved = f.dir / "downloaded.xlsx";
    const char* shots = std::getenv("FIELDFLOW_SCREENSHOTS");
    std::string screenshot = shots ? " '" + std::string(shots) + "/export.png'" : "";
    auto browser =
        run({"/bin/sh", "-c",
             "node " + std::string(FIELDFLOW_SOURCE_DIR) + "/tests/browser/export.mjs http://" +
                 f.gateway.http_address() + "/ chen 'night shift 42' 2026-03 '" + saved + "'" +
                 screenshot + " 2>&1"},
            std::chrono::seconds(120));
    INFO(browser.out);
    CHECK(browser.code == 0);
    CHECK(browser.out.find("downloaded as 进销存台账-2026-03.xlsx") != std::string::npos);
    auto book = read_workbook(saved);
    REQUIRE(book.is_object());
    const auto& sheet = book["sheets"][0];
    CHECK(sheet["rows"][0][0]["v"] == "经销商");
    CHECK(sheet["rows"][1][0] == json{{"t", "s"}, {"v", "D1"}});
    CHECK(sheet["rows"][1][6] == json{{"t", "n"}, {"v", 117}});
    CHECK(sheet["rows"][1][7]["t"] == "d");
}
