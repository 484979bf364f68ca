// `fieldflow master import` and `fieldflow master list` run in this
// process against a scratch store: versions and their counts, a bad row
// anywhere importing nothing, an unchanged folder making no version, GBK.

#include <doctest/doctest.h>

#include <fstream>
#include <stdexcept>

#include "core/text_encoding.h"
#include "support/has.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/scratch_store.h"
#include "tools/environment.h"
#include "tools/run_fieldflow.h"

using namespace fieldflow;
using fieldflow::test::has;
using fieldflow::test::run_fieldflow;
using fieldflow::test::utf8_to_gbk;

namespace {

void append(const std::filesystem::path& file, const std::string& text) {
    std::ofstream(file, std::ios::binary | std::ios::app) << text;
}

long long versions(const std::string& db) {
    return test::store_scalar(db, "SELECT count(*) FROM master_versions");
}

}  // namespace

TEST_CASE("tools master: each changed folder is a version, listed with its counts") {
    test::TempDir dir;
    test::ScratchStore store(dir.path(), "gateway.db");
    std::filesystem::path master = test::write_master_fixture(dir.path());

    auto first = run_fieldflow(
        {"master", "import", master.string(), "--db", store.location(), "--by", "chen"});
    CHECK(first.code == 0);
    CHECK(first.err == "");
    CHECK(first.out == "version 1 from " + master.string() +
                           ": products 2 added, 0 changed, 0 removed; terminals 2 added, 0 "
                           "changed, 0 removed; distributors 2 added, 0 changed, 0 removed; "
                           "reps 3 added, 0 changed, 0 removed\n");

    append(master / "terminals.csv", "T3,益丰大药房(张江店),pharmacy,CN-SH-PD,31.2,121.6,80,B\n");
    auto second = run_fieldflow({"master", "import", master.string(), "--db", store.location()});
    CHECK(second.code == 0);
    CHECK(has(second.out, "version 2 from "));
    CHECK(has(second.out, "terminals 1 added, 0 changed, 0 removed"));

    auto listed = run_fieldflow({"master", "list", "--db", store.location()});
    CHECK(listed.code == 0);
    auto lines = listed.out;
    CHECK(lines.rfind("version,imported_at,source,by,products_added,products_changed,"
                      "products_removed,terminals_added,terminals_changed,terminals_removed,"
                      "distributors_added,distributors_changed,distributors_removed,reps_added,"
                      "reps_changed,reps_removed\n",
                      0) == 0);
    CHECK(has(lines, "," + master.string() + ",chen,2,0,0,2,0,0,2,0,0,3,0,0\n"));
    CHECK(has(lines, "\n2,"));
    CHECK(has(lines, ",0,0,0,1,0,0,0,0,0,0,0,0\n"));
}

TEST_CASE("tools master: a bad row in any file imports nothing, named by file and line") {
    test::TempDir dir;
    test::ScratchStore store(dir.path(), "gateway.db");
    std::filesystem::path master = test::write_master_fixture(dir.path());
    REQUIRE(run_fieldflow({"master", "import", master.string(), "--db", store.location()}).code ==
            0);

    // A good new terminal, and a bad rep in another file.
    append(master / "terminals.csv", "T3,益丰大药房(张江店),pharmacy,CN-SH-PD,31.2,121.6,80,B\n");
    append(master / "reps.csv", "R4,赵敏,manager,CN-SH,dev-004\n");
    auto ran = run_fieldflow({"master", "import", master.string(), "--db", store.location()});
    CHECK(ran.code == 1);
    CHECK(ran.out == "");
    CHECK(has(ran.err,
              (master / "reps.csv").string() +
                  ":5: role must be retail, otc or commercial, not \"manager\" (bad_role)\n"));
    CHECK(has(ran.err, "fieldflow master import: 1 bad row (listed above); nothing imported\n"));
    CHECK(versions(store.location()) == 1);
    CHECK(test::store_scalar(store.location(), "SELECT count(*) FROM master_terminals") == 2);
}

TEST_CASE("tools master: the same folder again makes no version and says so") {
    test::TempDir dir;
    test::ScratchStore store(dir.path(), "gateway.db");
    std::filesystem::path master = test::write_master_fixture(dir.path());
    REQUIRE(run_fieldflow({"master", "import", master.string(), "--db", store.location()}).code ==
            0);
    auto again = run_fieldflow({"master", "import", master.string(), "--db", store.location()});
    CHECK(again.code == 0);
    CHECK(again.out == master.string() + ": the same as version 1; no new version\n");
    CHECK(versions(store.location()) == 1);
}

TEST_CASE("tools master: GBK files are read as GBK when told, and refused as UTF-8") {
    test::TempDir dir;
    test::ScratchStore store(dir.path(), "gateway.db");
    std::filesystem::path utf8 = test::write_master_fixture(dir.path() / "utf8");
    std::filesystem::path gbk = dir.path() / "gbk";
    std::filesystem::create_directories(gbk);
    // The same folder in GBK: iconv's UTF-8 to GB 18030, byte for byte.
    for (const char* name : {"products.csv", "terminals.csv", "distributors.csv", "reps.csv"}) {
        std::ifstream in(utf8 / name, std::ios::binary);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::string converted = utf8_to_gbk(text);
        REQUIRE(core::gbk_to_utf8(converted) == text);
        std::ofstream(gbk / name, std::ios::binary) << converted;
    }

    auto as_utf8 = run_fieldflow({"master", "import", gbk.string(), "--db", store.location()});
    CHECK(as_utf8.code == 1);
    CHECK(has(as_utf8.err, (gbk / "products.csv").string() +
                               ":2: not UTF-8 text; if the file is GBK, read it as GBK "
                               "(--encoding gbk)"));
    CHECK(has(as_utf8.err, "nothing imported"));

    auto as_gbk = run_fieldflow(
        {"master", "import", gbk.string(), "--db", store.location(), "--encoding", "gbk"});
    CHECK(as_gbk.code == 0);
    CHECK(has(as_gbk.out, "version 1 from "));  // the refused import made none
    // The very same data as the UTF-8 folder: no new version.
    auto same = run_fieldflow({"master", "import", utf8.string(), "--db", store.location()});
    CHECK(same.code == 0);
    CHECK(has(same.out, "the same as version 1; no new version"));
    CHECK(test::store_scalar(store.location(),
                             "SELECT count(*) FROM master_terminals WHERE name = "
                             "'老百姓大药房(世纪大道店)'") == 1);
}

TEST_CASE("tools master: list needs a store, import needs a folder") {
    test::TempDir dir;
    auto listed = run_fieldflow({"master", "list", "--db", (dir / "none.db")});
    CHECK(listed.code == 1);
    CHECK(listed.err == "fieldflow master list: no store at " + (dir / "none.db") + "\n");
    auto imported = run_fieldflow({"master", "import", (dir / "nowhere"), "--db", (dir / "g.db")});
    CHECK(imported.code == 1);
    CHECK(imported.err ==
          "fieldflow master import: no master data folder at " + (dir / "nowhere") + "\n");
}
