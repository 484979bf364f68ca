// A power cut, not a kill (support/power_cut_vfs.h): what no completed sync
// covered is gone, or kept in part, sector by sector. The harness is checked
// first on SQLite alone, where the answer is known; then the outbox and the
// gateway's group commit go through a hundred cuts. The full thousand are
// bench/power_cut.sh's.

#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>

#include <random>

#include "support/power_cut_trials.h"
#include "support/power_cut_vfs.h"
#include "support/process.h"

using namespace fieldflow::test;

namespace {

// Rows a WAL database holds after a commit and a cut right after it.
long long rows_after_cut(const char* synchronous, PowerCut::Tear tear) {
    TempDir dir;
    PowerCut power(dir.path());
    const std::string db = dir / "cut.db";
    {
        SQLite::Database setup(db, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        setup.exec("PRAGMA journal_mode = WAL");
        setup.exec("PRAGMA synchronous = FULL");
        setup.exec("CREATE TABLE t (x INTEGER)");
    }
    std::mt19937 random(7);
    {
        SQLite::Database writer(db, SQLite::OPEN_READWRITE);
        writer.exec(std::string("PRAGMA synchronous = ") + synchronous);
        writer.exec("INSERT INTO t VALUES (1)");
        power.arm(1);  // the next write or sync: closing would checkpoint
    }
    REQUIRE(power.cut());
    power.restore(tear, random);
    SQLite::Database reader(db, SQLite::OPEN_READWRITE);
    CHECK(reader.execAndGet("PRAGMA integrity_check").getString() == "ok");
    return reader.execAndGet("SELECT count(*) FROM t").getInt64();
}

}  // namespace

TEST_CASE("power cut: a commit SQLite synced survives the cut, one it did not sync is gone" *
          doctest::test_suite("no gateway store")) {
    // FULL syncs the WAL in the commit; NORMAL leaves it to a checkpoint
    // that the cut came before. A harness that kept unsynced writes would
    // find the row in both.
    CHECK(rows_after_cut("FULL", PowerCut::Tear::none) == 1);
    CHECK(rows_after_cut("NORMAL", PowerCut::Tear::none) == 0);
    CHECK(rows_after_cut("FULL", PowerCut::Tear::sectors) == 1);
}

TEST_CASE("power cut: a new file whose directory was never synced is gone after the cut" *
          doctest::test_suite("no gateway store")) {
    TempDir dir;
    PowerCut power(dir.path());
    const std::string db = dir / "new.db";
    {
        // Rollback journal with no sync at all: nothing ever syncs the
        // directory, so the file's name never reached the disk.
        SQLite::Database writer(db, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        writer.exec("PRAGMA synchronous = OFF");
        writer.exec("CREATE TABLE t (x INTEGER)");
        power.arm(1);
    }
    std::mt19937 random(7);
    power.restore(PowerCut::Tear::none, random);
    CHECK_FALSE(std::filesystem::exists(db));
}

TEST_CASE("power cut: a WAL deleted without a directory sync is back after the cut, and harmless" *
          doctest::test_suite("no gateway store")) {
    TempDir dir;
    PowerCut power(dir.path());
    const std::string db = dir / "back.db";
    {
        SQLite::Database writer(db, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        writer.exec("PRAGMA journal_mode = WAL");
        writer.exec("PRAGMA synchronous = FULL");
        writer.exec("CREATE TABLE t (x INTEGER)");
        writer.exec("INSERT INTO t VALUES (1)");
    }  // the last close checkpoints, syncs the database and deletes the WAL
    REQUIRE_FALSE(std::filesystem::exists(db + "-wal"));
    std::mt19937 random(7);
    power.restore(PowerCut::Tear::none, random);
    CHECK(std::filesystem::exists(db + "-wal"));
    SQLite::Database reader(db, SQLite::OPEN_READWRITE);
    CHECK(reader.execAndGet("PRAGMA integrity_check").getString() == "ok");
    CHECK(reader.execAndGet("SELECT count(*) FROM t").getInt64() == 1);
}

TEST_CASE(
    "power cut: 100 cuts during capture, sync and group commit lose nothing and store "
    "nothing twice" *
    doctest::test_suite("sqlite only")) {
    PowerCutPlan plan;
    plan.capture_cuts = 40;
    plan.sync_cuts = 30;
    plan.commit_cuts = 30;
    auto tallies = run_power_cuts(plan);
    REQUIRE(tallies.size() == 3);
    int cuts = 0;
    for (const auto& t : tallies) {
        std::string failures;
        for (const auto& f : t.failures) failures += f + "\n";
        INFO(t.phase, ": ", failures);
        MESSAGE(t.phase << ": " << t.cuts << " cuts (" << t.torn << " torn), " << t.finished
                        << " trials ran out first, " << t.promised << " records promised, "
                        << t.lost << " lost, " << t.duplicated << " duplicated, " << t.damaged
                        << " damaged");
        CHECK(t.promised > 0);
        CHECK(t.lost == 0);
        CHECK(t.duplicated == 0);
        CHECK(t.damaged == 0);
        cuts += t.cuts;
    }
    CHECK(cuts == 100);
}
