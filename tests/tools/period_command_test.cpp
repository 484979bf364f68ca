// `fieldflow period` run in this process against a scratch store: closing,
// reopening with a reason, and the log of both.

#include <doctest/doctest.h>

#include "support/has.h"
#include "support/process.h"
#include "store/distribution_store.h"
#include "support/scratch_store.h"
#include "tools/commands.h"
#include "tools/run_fieldflow.h"

using namespace fieldflow;
using fieldflow::test::has;
using fieldflow::test::run_fieldflow;

TEST_CASE("tools period: close, close again, reopen with a reason, and the log of it") {
    test::TempDir dir;
    test::ScratchStore store(dir.path(), "books.db");
    const std::string& db = store.location();
    store::DistributionStore{db};  // made, as an import would make it

    auto closed = run_fieldflow({"period", "close", "2026-03", "--db", db, "--by", "chen"});
    CHECK(closed.code == 0);
    CHECK(closed.out == "2026-03 closed\n");
    auto twice = run_fieldflow({"period", "close", "2026-03", "--db", db});
    CHECK(twice.code == 0);
    CHECK(twice.out == "2026-03 was already closed\n");

    auto open = run_fieldflow({"period", "reopen", "2026-04", "--reason", "x", "--db", db});
    CHECK(open.code == 1);
    CHECK(open.err == "fieldflow period reopen: 2026-04 is not closed\n");

    // Called as a library, a reopening without a reason is refused as on the command line.
    tools::PeriodOptions options;
    options.action = "reopen";
    options.period = *core::parse_period("2026-03");
    options.db = db;
    {
        test::Capture err(std::cerr);
        CHECK(tools::period_command(options) == 2);
        CHECK(has(err.text(), "--reason"));
    }
    auto reopened = run_fieldflow({"period", "reopen", "2026-03", "--reason",
                                   "auditor's correction", "--db", db, "--by", "wang"});
    CHECK(reopened.code == 0);
    CHECK(reopened.out == "2026-03 reopened\n");

    auto log = run_fieldflow({"period", "list", "--db", db});
    CHECK(log.code == 0);
    CHECK(log.out.rfind("2026-03 close by chen at ", 0) == 0);
    CHECK(has(log.out, "\n2026-03 reopen by wang at "));
    CHECK(has(log.out, ": auditor's correction\n"));
}

TEST_CASE("tools period: a store that is not there is named, exit 1") {
    if (test::testing_postgresql()) return;
    test::TempDir dir;
    auto ran = run_fieldflow({"period", "list", "--db", dir / "nowhere.db"});
    CHECK(ran.code == 1);
    CHECK(ran.err == "fieldflow period list: no store at " + dir / "nowhere.db" + "\n");
}
