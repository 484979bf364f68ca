// A command that meets the store held by another writer for longer than it
// waits says so and exits 1, with nothing of its own work stored.

#include <doctest/doctest.h>

#include <fstream>

#include "store/distribution_store.h"
#include "store/sql.h"
#include "support/process.h"
#include "support/scratch_store.h"
#include "tools/run_fieldflow.h"

using namespace fieldflow;
using fieldflow::test::run_fieldflow;

TEST_CASE("tools busy store: import, period close and records exit 1 and store nothing") {
    test::TempDir dir;
    test::ScratchStore store(dir.path(), "books.db");
    const std::string& db = store.location();
    store::DistributionStore{db};
    std::string file = dir / "flows.csv";
    std::ofstream(file) << "flow_id,date,seller_id,buyer_id,product_id,lot,qty\n"
                           "F1,2026-03-01,D1,T1,P1,L1,5\n";
    auto entries = [&] { return test::store_scalar(db, "SELECT count(*) FROM audit_log"); };
    long long entries_before = entries();

    {
        // Another writer, holding the store past the commands' busy timeout.
        auto other = store::sql::Database::open(db);
        store::sql::Transaction holding(*other, store::sql::TransactionKind::write);

        auto imported = run_fieldflow({"import", "flows", file, "--db", db});
        CHECK(imported.code == 1);
        CHECK(imported.err ==
              "fieldflow import: the store is busy (another writer holds it); try again\n");

        auto closed = run_fieldflow({"period", "close", "2026-03", "--db", db});
        CHECK(closed.code == 1);
        CHECK(closed.err ==
              "fieldflow period close: the store is busy (another writer holds it); try again\n");

        // A command that only reads still brings the store's schema up to
        // date as it opens it, which takes the write lock.
        auto listed = run_fieldflow({"records", "--db", db});
        CHECK(listed.code == 1);
        CHECK(listed.err ==
              "fieldflow records: the store is busy (another writer holds it); try again\n");
    }

    CHECK(test::store_scalar(db, "SELECT count(*) FROM flows") == 0);
    CHECK(test::store_scalar(db, "SELECT count(*) FROM book_sources") == 0);
    CHECK(test::store_scalar(db, "SELECT count(*) FROM closed_periods") == 0);
    CHECK(entries() == entries_before);
    // Once the other writer is done, the same commands go through.
    CHECK(run_fieldflow({"import", "flows", file, "--db", db}).code == 0);
    CHECK(run_fieldflow({"period", "close", "2026-03", "--db", db}).code == 0);
}

TEST_CASE("tools busy store: a busy error is told apart from other failures by its code") {
    CHECK(store::sql::Error("database is locked", "5").busy());
    CHECK(store::sql::Error("database is locked", "261").busy());  // SQLITE_BUSY_RECOVERY
    CHECK(store::sql::Error("database table is locked", "6").busy());
    CHECK(store::sql::Error("could not obtain lock", "55P03").busy());
    CHECK(store::sql::Error("could not serialize access", "40001").busy());
    CHECK_FALSE(store::sql::Error("disk I/O error", "10").busy());
    CHECK_FALSE(store::sql::Error("UNIQUE constraint failed", "2067").busy());
    CHECK_FALSE(store::sql::Error("syntax error", "42601").busy());
    CHECK_FALSE(store::sql::Error("cannot open", "").busy());
}
