// fieldflow backup and restore on a SQLite store a gateway is writing to:
// the copy is consistent (its audit chain verifies) though a fleet syncs
// throughout, and a restore refuses a store a gateway has open.

#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <thread>

#include "support/gateway_process.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/scratch_store.h"

using namespace fieldflow;
using namespace fieldflow::test;

TEST_CASE("backup: a copy taken while a fleet syncs verifies, and restore puts it back" *
          doctest::test_suite("sqlite only")) {
    TempDir dir;
    std::string master = write_master_fixture(dir.path());
    std::string db = dir / "gateway.db", copy = dir / "copy.db";
    auto gateway = std::make_unique<GatewayProcess>(master, db, "127.0.0.1:0", dir / "gateway.log");
    // About four seconds of syncing, in small batches: many commits during the copy.
    Process fleet({binary("fieldflow"), "loadgen", "--gateway", gateway->address(), "--master",
                   master, "--agents", "8", "--records", "400", "--batch", "10", "--rate", "800"},
                  dir / "loadgen.log");
    for (int i = 0; i < 200 && store_scalar(db, "SELECT count(*) FROM records") < 200; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    REQUIRE(store_scalar(db, "SELECT count(*) FROM records") >= 200);

    // A small step, so that the copy spans many commits.
    auto backup =
        run({binary("fieldflow"), "backup", "--db", db, "--out", copy, "--pages-per-step", "4"});
    INFO(backup.out);
    REQUIRE(backup.code == 0);
    CHECK(backup.out.find("backup " + copy + ": ") == 0);
    auto in_copy = store_scalar(copy, "SELECT count(*) FROM records");
    CHECK(in_copy >= 200);
    // Taken while the fleet was still sending.
    CHECK(in_copy < 3200);
    CHECK(run({binary("fieldflow"), "audit", "verify", "--db", copy}).code == 0);
    CHECK(!std::filesystem::exists(copy + ".partial"));

    // A backup never overwrites.
    CHECK(run({binary("fieldflow"), "backup", "--db", db, "--out", copy}).code == 2);

    auto fleet_out = fleet.read_all();
    INFO(fleet_out);
    REQUIRE(fleet.wait() == 0);
    REQUIRE(store_scalar(db, "SELECT count(*) FROM records") == 3200);

    // The gateway has the store open: nothing is restored over it.
    CHECK(run({binary("fieldflow"), "restore", "--from", copy, "--db", db, "--replace"}).code == 1);
    CHECK(store_scalar(db, "SELECT count(*) FROM records") == 3200);

    gateway->process().signal(SIGTERM);
    REQUIRE(gateway->process().wait() == 0);
    gateway.reset();

    // Without --replace an existing store is left alone.
    CHECK(run({binary("fieldflow"), "restore", "--from", copy, "--db", db}).code == 2);
    auto restored = run({binary("fieldflow"), "restore", "--from", copy, "--db", db, "--replace"});
    INFO(restored.out);
    REQUIRE(restored.code == 0);
    CHECK(store_scalar(db, "SELECT count(*) FROM records") == in_copy);
    // What was there is kept, not lost.
    CHECK(store_scalar(db + ".before-restore", "SELECT count(*) FROM records") == 3200);
    CHECK(run({binary("fieldflow"), "audit", "verify", "--db", db}).code == 0);
}

TEST_CASE("backup: a PostgreSQL store is sent to pg_dump" * doctest::test_suite("sqlite only")) {
    TempDir dir;
    auto out = run({"/bin/sh", "-c",
                    binary("fieldflow") + " backup --db postgresql://localhost/fieldflow --out " +
                        (dir / "copy.db") + " 2>&1"});
    CHECK(out.code == 2);
    CHECK(out.out.find("is a PostgreSQL store: back it up with pg_dump or a base backup") !=
          std::string::npos);
    CHECK(!std::filesystem::exists(dir / "copy.db"));
}
