// `fieldflow plan import|generate|list` and `effectiveness --view plan` run
// in this process against a scratch store holding the master fixture.

#include <doctest/doctest.h>

#include <fstream>

#include "store/gateway_store.h"
#include "support/has.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/scratch_store.h"
#include "support/workbook.h"
#include "tools/environment.h"
#include "tools/run_fieldflow.h"

using namespace fieldflow;
using fieldflow::test::Environment;
using fieldflow::test::has;
using fieldflow::test::run_fieldflow;
using fieldflow::test::utf8_to_gbk;

namespace {

// A store with the master fixture imported: R1 and R3 (commercial) cover
// CN-SH, where T1 is; R2 covers CN-ZJ, where T2 is.
struct PlanStore {
    test::TempDir dir;
    test::ScratchStore store{dir.path(), "gateway.db"};
    std::string db = store.location();
    PlanStore() {
        auto master = test::write_master_fixture(dir.path());
        REQUIRE(run_fieldflow({"master", "import", master, "--db", db}).code == 0);
    }
    std::string write(const std::string& name, const std::string& text) {
        std::ofstream(dir / name, std::ios::binary) << text;
        return dir / name;
    }
    long long count(const std::string& sql) { return test::store_scalar(db, sql); }
};

}  // namespace

TEST_CASE("tools plan: an import is listed per rep and day, in English, Chinese and JSON") {
    PlanStore s;
    auto file = s.write("plan.csv",
                        "rep_id,date,terminal_id,purpose,order\n"
                        "R1,2026-03-02,T1,新品推广,1\n"
                        "R2,2026-03-02,T2,陈列检查,1\n"
                        "R1,2026-03-03,T1,,1\n");
    auto imported = run_fieldflow({"plan", "import", file, "--db", s.db, "--by", "chen"});
    CHECK(imported.err == "");
    CHECK(imported.code == 0);
    CHECK(imported.out ==
          "plan version 1 from " + file + ": 3 days replaced, 0 unchanged, 3 visits\n");

    {
        Environment english("LC_ALL", "C");
        auto listed =
            run_fieldflow({"plan", "list", "--rep", "R1", "--date", "2026-03-02", "--db", s.db});
        CHECK(listed.code == 0);
        CHECK(listed.out ==
              "R1 王芳 2026-03-02: 1 planned visit (plan version 1)\n"
              "    1  T1        老百姓大药房(世纪大道店)      新品推广\n");
        auto none =
            run_fieldflow({"plan", "list", "--rep", "R1", "--date", "2026-03-04", "--db", s.db});
        CHECK(none.out == "no plan for R1 on 2026-03-04\n");
    }
    {
        Environment chinese("LC_ALL", "zh_CN.UTF-8");
        auto listed = run_fieldflow({"plan", "list", "--date", "2026-03-02", "--db", s.db});
        CHECK(has(listed.out, "R1 王芳 2026-03-02 计划拜访 1 家(计划版本 1)\n"));
        CHECK(has(listed.out, "R2 李雷 2026-03-02 计划拜访 1 家(计划版本 1)\n"));
        auto none =
            run_fieldflow({"plan", "list", "--rep", "R2", "--date", "2026-03-03", "--db", s.db});
        CHECK(none.out == "R2 在 2026-03-03 没有拜访计划\n");
    }
    auto json = run_fieldflow(
        {"plan", "list", "--rep", "R2", "--date", "2026-03-02", "--db", s.db, "--json"});
    CHECK(json.out ==
          "{\"plan_version\":1,\"visits\":[{\"date\":\"2026-03-02\",\"order\":1,\"purpose\":"
          "\"陈列检查\",\"rep\":\"R2\",\"terminal\":\"T2\",\"terminal_name\":\"一心堂(西湖店)\"}]}"
          "\n");
}

TEST_CASE("tools plan: bad rows are named by file and line, and nothing is imported") {
    PlanStore s;
    auto good = s.write("good.csv",
                        "rep_id,date,terminal_id,purpose,order\n"
                        "R1,2026-03-02,T1,,1\n");
    REQUIRE(run_fieldflow({"plan", "import", good, "--db", s.db}).code == 0);
    auto bad = s.write("bad.csv",
                       "rep_id,date,terminal_id,purpose,order\n"
                       "R1,2026-03-03,T1,,1\n"
                       "R7,2026-03-03,T1,,2\n"
                       "R1,2026-03-03,T2,,3\n"
                       "R2,2026-13-01,T2,,1\n"
                       "R2,2026-03-03,T8,,1\n");
    auto ran = run_fieldflow({"plan", "import", bad, "--db", s.db});
    CHECK(ran.code == 1);
    CHECK(ran.out == "");
    CHECK(ran.err == bad + ":3: unknown rep R7 (not in the master data) (unknown_rep)\n" + bad +
                         ":4: terminal T2 is in CN-ZJ-HZ, outside rep R1's territory CN-SH "
                         "(outside_territory)\n" +
                         bad + ":5: date is not a day (YYYY-MM-DD): \"2026-13-01\" (not_a_date)\n" +
                         bad +
                         ":6: unknown terminal T8 (not in the master data) (unknown_terminal)\n"
                         "fieldflow plan import: 4 bad rows (listed above); nothing imported\n");
    CHECK(s.count("SELECT count(*) FROM plan_visits") == 1);
    CHECK(s.count("SELECT max(version) FROM plan_imports") == 1);
}

TEST_CASE("tools plan: importing a rep's day again replaces it; the same plan makes no version") {
    PlanStore s;
    auto first = s.write("first.csv",
                         "rep_id,date,terminal_id,purpose,order\n"
                         "R1,2026-03-02,T1,,1\n"
                         "R2,2026-03-02,T2,,1\n");
    REQUIRE(run_fieldflow({"plan", "import", first, "--db", s.db}).code == 0);
    auto again = run_fieldflow({"plan", "import", first, "--db", s.db});
    CHECK(again.code == 0);
    CHECK(again.out == first + ": the same as the plan in force (version 1); no new version\n");
    auto second = s.write("second.csv",
                          "rep_id,date,terminal_id,purpose,order\n"
                          "R2,2026-03-02,T2,复访,1\n");
    auto replaced = run_fieldflow({"plan", "import", second, "--db", s.db});
    CHECK(replaced.out ==
          "plan version 2 from " + second + ": 1 day replaced, 0 unchanged, 1 visits\n");
    CHECK(s.count("SELECT count(*) FROM plan_visits WHERE rep_id = 'R2' AND purpose = '复访'") ==
          1);
    CHECK(s.count("SELECT count(*) FROM plan_visits WHERE rep_id = 'R1'") == 1);
    CHECK(s.count("SELECT count(*) FROM audit_log WHERE target = 'plan_imports'") == 2);
}

TEST_CASE("tools plan: a GBK file is read when told, and refused as UTF-8") {
    PlanStore s;
    auto file = s.write("gbk.csv", utf8_to_gbk("rep_id,date,terminal_id,purpose,order\n"
                                               "R1,2026-03-02,T1,新品推广,1\n"));
    auto as_utf8 = run_fieldflow({"plan", "import", file, "--db", s.db});
    CHECK(as_utf8.code == 1);
    CHECK(
        has(as_utf8.err, file + ":2: purpose is not UTF-8 text (a GBK file needs --encoding gbk)"));
    auto as_gbk = run_fieldflow({"plan", "import", file, "--db", s.db, "--encoding", "gbk"});
    CHECK(as_gbk.code == 0);
    CHECK(s.count("SELECT count(*) FROM plan_visits WHERE purpose = '新品推广'") == 1);
}

TEST_CASE("tools plan: a store without master data is named, and nothing is imported") {
    test::TempDir dir;
    test::ScratchStore scratch(dir.path(), "gateway.db");
    store::GatewayStore{scratch.location()};  // a gateway's store, without master data
    std::ofstream(dir / "plan.csv")
        << "rep_id,date,terminal_id,purpose,order\nR1,2026-03-02,T1,,1\n";
    auto ran = run_fieldflow({"plan", "import", dir / "plan.csv", "--db", scratch.location()});
    CHECK(ran.code == 1);
    CHECK(ran.err == "fieldflow plan import: the store at " + scratch.location() +
                         " has no master data; import it first (fieldflow master import DIR "
                         "--db " +
                         scratch.location() + ")\n");
}

TEST_CASE("tools plan: generate proposes the import's CSV, writes it, or applies it") {
    PlanStore s;
    auto shown = run_fieldflow(
        {"plan", "generate", "--month", "2026-03", "--db", s.db, "--targets", "A=2,B=1,C=1"});
    CHECK(shown.code == 0);
    // T1 (A) twice for R1, T2 (B) once for R2; R3 is commercial.
    CHECK(shown.out ==
          "rep_id,date,terminal_id,purpose,order\n"
          "R1,2026-03-02,T1,例行拜访(A类),1\n"
          "R1,2026-03-17,T1,例行拜访(A类),1\n"
          "R2,2026-03-02,T2,例行拜访(B类),1\n");
    CHECK(has(shown.err, "fieldflow plan generate: 3 visits over 22 working days of 2026-03"));

    auto out = s.dir / "proposal.csv";
    auto written = run_fieldflow({"plan", "generate", "--month", "2026-03", "--db", s.db,
                                  "--targets", "A=2,B=1,C=1", "--out", out});
    CHECK(written.out == "");
    // Nothing was imported yet; the operator imports it as it is.
    auto imported = run_fieldflow({"plan", "import", out, "--db", s.db});
    CHECK(imported.code == 0);
    CHECK(has(imported.out, "plan version 1 from "));
    CHECK(s.count("SELECT count(*) FROM plan_visits") == 3);

    auto applied = run_fieldflow(
        {"plan", "generate", "--month", "2026-04", "--db", s.db, "--apply", "--by", "chen"});
    CHECK(applied.code == 0);
    CHECK(has(applied.out, "plan version 2 from generated for 2026-04: "));
    // T1 (A) four times, T2 (B) three times: 2026-04-01 is day 20544.
    CHECK(s.count("SELECT count(*) FROM plan_visits WHERE day >= 20544") == 7);
}

TEST_CASE("tools plan: effectiveness --view plan lists each rep's planned day") {
    PlanStore s;
    auto file = s.write("plan.csv",
                        "rep_id,date,terminal_id,purpose,order\n"
                        "R1,2026-03-02,T1,,1\n"
                        "R2,2026-03-03,T2,,1\n");
    REQUIRE(run_fieldflow({"plan", "import", file, "--db", s.db}).code == 0);
    auto ran = run_fieldflow({"effectiveness", "--period", "2026-03", "--db", s.db, "--master",
                              s.dir / "master", "--view", "plan"});
    CHECK(ran.err == "");
    CHECK(ran.out ==
          "rep,day,planned,done,missed,unplanned\n"
          "R1,2026-03-02,1,0,1,0\n"
          "R2,2026-03-03,1,0,1,0\n");
}

TEST_CASE("tools plan: effectiveness --view plan --format xlsx writes the workbook, not CSV") {
    PlanStore s;
    auto file = s.write("plan.csv",
                        "rep_id,date,terminal_id,purpose,order\n"
                        "R1,2026-03-02,T1,,1\n");
    REQUIRE(run_fieldflow({"plan", "import", file, "--db", s.db}).code == 0);
    std::string out = s.dir / "plan.xlsx";
    auto ran =
        run_fieldflow({"effectiveness", "--period", "2026-03", "--db", s.db, "--master",
                       s.dir / "master", "--view", "plan", "--format", "xlsx", "--out", out});
    REQUIRE_MESSAGE(ran.code == 0, ran.err);
    CHECK(ran.out == "");
    auto book = test::read_workbook(out);
    REQUIRE(book.is_object());
    const auto& rows = book["sheets"][0]["rows"];
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].size() == 6);
    CHECK(rows[1][0] == nlohmann::json{{"t", "s"}, {"v", "R1"}});
    CHECK(rows[1][1] == nlohmann::json{{"t", "d"}, {"v", "2026-03-02T00:00:00"}});
    CHECK(rows[1][2] == nlohmann::json{{"t", "n"}, {"v", 1}});
}
