// `fieldflow summary` reads in the locale's language: Chinese under a
// zh_CN locale, English otherwise, with the stable reason codes in both.

#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "support/gateway_process.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/wire_client.h"

using namespace fieldflow::test;

namespace {

std::string summary_in(const std::string& locale, const std::string& db) {
    auto ran = run({"/bin/sh", "-c",
                    "env -u LC_ALL -u LC_MESSAGES LANG=" + locale + " " + binary("fieldflow") +
                        " summary --db '" + db + "'"});
    INFO(ran.out);
    REQUIRE(ran.code == 0);
    return ran.out;
}

}  // namespace

TEST_CASE("summary: in Chinese under LANG=zh_CN.UTF-8, in English under LANG=C") {
    TempDir dir;
    std::string db = dir.store("gateway.db"), master = write_master_fixture(dir.path());
    {
        GatewayProcess gateway(master, db, "127.0.0.1:0", dir / "gateway.log");
        WireClient device(gateway.address());
        REQUIRE(device.handshake("dev-001"));
        device.batch({check_in_record("dev-001", 1, "T1", 31.2304, 121.5060),
                      check_in_record("dev-001", 2, "T1", 31.3000, 121.6000)});  // far away
        REQUIRE(device.receive()->isAck());
    }

    auto chinese = summary_in("zh_CN.UTF-8", db);
    CHECK(chinese.find("记录总数           2") != std::string::npos);
    CHECK(chinese.find("  通过             1\n") != std::string::npos);
    CHECK(chinese.find("  标记待审核       1\n") != std::string::npos);
    CHECK(chinese.find("按类型和判定") != std::string::npos);
    CHECK(chinese.find("  签到 通过") != std::string::npos);
    // The reason by its Chinese name, with the code that filters and docs use.
    CHECK(chinese.find("不在终端签到范围内 outside_geofence") != std::string::npos);
    CHECK(chinese.find("accepted") == std::string::npos);

    auto english = summary_in("C", db);
    CHECK(english.find("records            2\n") != std::string::npos);
    CHECK(english.find("  accepted         1\n") != std::string::npos);
    CHECK(english.find("  check_in accepted") != std::string::npos);
    CHECK(english.find("  outside_geofence") != std::string::npos);
    CHECK(english.find("不在") == std::string::npos);
    CHECK(summary_in("en_US.UTF-8", db) == english);
}

TEST_CASE("import: a bad row is told in Chinese under LANG=zh_CN.UTF-8, with its code in both") {
    TempDir dir;
    std::string file = dir / "flows.csv";
    std::ofstream(file) << "flow_id,date,seller_id,buyer_id,product_id,lot,qty\n"
                           "F1,2026-03-01,D1,T1,P1,L1,5\n"
                           "F2,2026-02-30,D1,T1,P1,L1,5\n";
    auto import_in = [&](const std::string& locale, const std::string& db) {
        auto ran = run({"/bin/sh", "-c",
                        "env -u LC_ALL -u LC_MESSAGES LANG=" + locale + " " + binary("fieldflow") +
                            " import flows '" + file + "' --db '" + db + "' 2>&1"});
        INFO(ran.out);
        CHECK(ran.code == 1);
        return ran.out;
    };
    auto chinese = import_in("zh_CN.UTF-8", dir.store("zh.db"));
    CHECK(chinese.find(file +
                       ":3: 日期“2026-02-30”不是有效日期（应为 YYYY-MM-DD）（not_a_date）\n") !=
          std::string::npos);
    CHECK(chinese.find(file + "：入库 1 行，已存在 0 行，错误 1 行（见标准错误输出）\n") !=
          std::string::npos);
    auto english = import_in("C", dir.store("en.db"));
    CHECK(
        english.find(file + ":3: date is not a date (YYYY-MM-DD): \"2026-02-30\" (not_a_date)\n") !=
        std::string::npos);
    CHECK(english.find(file + ": 1 rows stored, 0 already there, 1 bad (listed on stderr)\n") !=
          std::string::npos);
}

TEST_CASE(
    "master and plan import: bad rows are told in Chinese under LANG=zh_CN.UTF-8, with their "
    "codes in both") {
    TempDir dir;
    std::string master = write_master_fixture(dir.path());
    std::string db = dir.store("gateway.db");
    // The store, with the fixture as its master data.
    { GatewayProcess gateway(master, db, "127.0.0.1:0", dir / "gateway.log"); }
    std::ofstream(std::filesystem::path(master) / "distributors.csv", std::ios::app)
        << "D9,新经销商,3,CN-SH\n";
    auto in = [&](const std::string& locale, const std::string& command) {
        auto ran = run({"/bin/sh", "-c",
                        "env -u LC_ALL -u LC_MESSAGES LANG=" + locale + " " + binary("fieldflow") +
                            " " + command + " 2>&1"});
        INFO(ran.out);
        CHECK(ran.code == 1);
        return ran.out;
    };
    std::string distributors = (std::filesystem::path(master) / "distributors.csv").string();
    auto chinese = in("zh_CN.UTF-8", "master import '" + master + "' --db '" + db + "'");
    CHECK(chinese.find(distributors + ":") != std::string::npos);
    CHECK(chinese.find(": 层级须为 1 或 2（bad_tier）\n") != std::string::npos);
    CHECK(chinese.find("fieldflow master import: 错误 1 行（见上），未导入任何内容\n") !=
          std::string::npos);
    auto english = in("C", "master import '" + master + "' --db '" + db + "'");
    CHECK(english.find(": tier must be 1 or 2 (bad_tier)\n") != std::string::npos);
    CHECK(english.find("fieldflow master import: 1 bad row (listed above); nothing imported\n") !=
          std::string::npos);

    // A plan against the master data in the store.
    std::string plan = dir / "plan.csv";
    std::ofstream(plan) << "rep_id,date,terminal_id,purpose,order\nR404,2026-03-02,T1,,1\n";
    chinese = in("zh_CN.UTF-8", "plan import '" + plan + "' --db '" + db + "'");
    CHECK(chinese.find(plan + ":2: 主数据中没有代表 R404（unknown_rep）\n") != std::string::npos);
    CHECK(chinese.find("fieldflow plan import: 错误 1 行（见上），未导入任何内容\n") !=
          std::string::npos);
    english = in("C", "plan import '" + plan + "' --db '" + db + "'");
    CHECK(english.find(plan + ":2: unknown rep R404 (not in the master data) (unknown_rep)\n") !=
          std::string::npos);
}
