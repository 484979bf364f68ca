// `fieldflow import` run in this process against a scratch store: rows
// stored, rows already there, and bad rows named by file and line.

#include <doctest/doctest.h>

#include "support/has.h"
#include "support/process.h"
#include "support/scratch_store.h"
#include "support/write_file.h"
#include "tools/commands.h"
#include "tools/run_fieldflow.h"

using namespace fieldflow;
using fieldflow::test::has;
using fieldflow::test::run_fieldflow;
using fieldflow::test::write_file;

namespace {

const char* const flows_header = "flow_id,date,seller_id,buyer_id,product_id,lot,qty\n";

}  // namespace

TEST_CASE("tools import: good rows are stored, bad ones named by file and line, exit 1") {
    test::TempDir dir;
    test::ScratchStore store(dir.path(), "books.db");
    std::string file = dir / "flows.csv";
    write_file(file, std::string(flows_header) +
                         "F1,2026-03-01,D1,T1,P1,L1,5\n"
                         "F2,2026-02-30,D1,T1,P1,L1,5\n"
                         "F3,2026-03-02,D1,T1,P1,L1,many\n"
                         "F4,2026-03-03,D1,T1,P1,L1,2\n");
    auto ran = run_fieldflow({"import", "flows", file, "--db", store.location(), "--by", "chen"});
    CHECK(ran.code == 1);
    CHECK(ran.out == file + ": 2 rows stored, 0 already there, 2 bad (listed on stderr)\n");
    CHECK(has(ran.err, file + ":3: date is not a date"));
    CHECK(has(ran.err, file + ":4: qty is not an integer"));
    CHECK(test::store_scalar(store.location(), "SELECT count(*) FROM flows") == 2);

    // The same file again: the good rows are there already, the bad still bad.
    auto again = run_fieldflow({"import", "flows", file, "--db", store.location()});
    CHECK(again.code == 1);
    CHECK(has(again.out, "0 rows stored, 2 already there, 2 bad"));
    CHECK(again.err == ran.err);
    CHECK(test::store_scalar(store.location(), "SELECT count(*) FROM flows") == 2);
}

TEST_CASE("tools import: a clean file is stored once and the same file again changes nothing") {
    test::TempDir dir;
    test::ScratchStore store(dir.path(), "books.db");
    std::string file = dir / "flows.csv";
    write_file(file, std::string(flows_header) +
                         "F1,2026-03-01,D1,T1,P1,L1,5\nF2,2026-03-02,D1,T2,P1,L1,3\n");
    // Called as a library: the struct the command line fills.
    tools::ImportOptions options;
    options.kind = core::ImportKind::flows;
    options.file = file;
    options.db = store.location();
    {
        test::Capture out(std::cout), err(std::cerr);
        CHECK(tools::import_command(options) == 0);
        CHECK(out.text() == file + ": 2 rows stored, 0 already there, 0 bad\n");
        CHECK(err.text().empty());
    }
    test::Capture out(std::cout);
    CHECK(tools::import_command(options) == 0);
    CHECK(has(out.text(), file + ": the same file was imported on "));
    CHECK(has(out.text(), "nothing changed"));
    CHECK(test::store_scalar(store.location(), "SELECT count(*) FROM flows") == 2);
}

TEST_CASE("tools import: a file that cannot be read stores nothing, exit 1") {
    test::TempDir dir;
    test::ScratchStore store(dir.path(), "books.db");
    auto ran = run_fieldflow({"import", "stock", dir / "missing.csv", "--db", store.location()});
    CHECK(ran.code == 1);
    CHECK(ran.err == "fieldflow import: cannot read " + dir / "missing.csv" + "\n");
    CHECK(ran.out.empty());
}
