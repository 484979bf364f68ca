#include "store/row_batch.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/store_file.h"

using namespace fieldflow;
using fieldflow::test::StoreFile;
namespace sql = fieldflow::store::sql;

namespace {

// Row i's text: every third one empty, which must stay empty text, not
// NULL; some with what a bulk format must escape (tabs, line ends,
// backslashes, the text \N), and Chinese.
std::string name_of(int i) {
    if (i % 3 == 0) return {};
    if (i % 4 == 1) return "name\t" + std::to_string(i) + "\r\n\\N\\ 药店";
    return "name " + std::to_string(i);
}

// Row i's blob: empty for every fifth, else bytes with zeros, a tab, a
// line end and a backslash among them.
std::vector<std::byte> data_of(int i) {
    if (i % 5 == 0) return {};
    return {std::byte{0},    static_cast<std::byte>(i & 0xff),
            std::byte{0},    std::byte{'\t'},
            std::byte{'\n'}, std::byte{'\\'}};
}

}  // namespace

TEST_CASE(
    "row batch: values of every kind, in more rows than one statement takes, arrive as "
    "gathered") {
    StoreFile file;
    auto db = sql::Database::open(file.location);
    db->exec(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, n INTEGER, "
        "data BLOB NOT NULL)");
    store::RowBatch rows(*db, "t", {"id", "name", "n", "data"});
    constexpr int count = 600;  // three statements' worth
    {
        sql::Transaction transaction(*db, sql::TransactionKind::write);
        for (int i = 1; i <= count; ++i) {
            rows.integer(i).text(name_of(i));
            if (i % 7 == 0)
                rows.null();
            else
                rows.integer(-i);
            rows.blob(data_of(i)).end_row();
        }
        // The row ended last, read in place: 600 is a multiple of three and five.
        auto last = rows.last_row().columns(1);
        using Kind = store::RowBatch::Value::Kind;
        REQUIRE(last.size() == 3);
        CHECK(last[0].kind == Kind::text);
        CHECK(last[0].bytes.empty());
        CHECK(last[1].kind == Kind::integer);
        CHECK(last[1].integer == -600);
        CHECK(last[2].kind == Kind::blob);
        CHECK(last[2].bytes.empty());
        CHECK(rows.last_row().columns(3, 1).size() == 1);
        rows.send();
        CHECK(rows.empty());
        transaction.commit();
    }
    sql::Statement get(*db, "SELECT id, name, n, data FROM t ORDER BY id");
    int seen = 0;
    while (get.step()) {
        int i = ++seen;
        INFO("row " << i);
        CHECK(get.int64(0) == i);
        CHECK_FALSE(get.is_null(1));
        CHECK(get.text(1) == name_of(i));
        if (i % 7 == 0)
            CHECK(get.is_null(2));
        else
            CHECK(get.int64(2) == -i);
        CHECK_FALSE(get.is_null(3));
        CHECK(std::ranges::equal(get.blob(3), data_of(i)));
    }
    CHECK(seen == count);
}

TEST_CASE("row batch: a row with a value missing is refused; cleared, the batch takes rows again") {
    StoreFile file;
    auto db = sql::Database::open(file.location);
    db->exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
    store::RowBatch rows(*db, "t", {"id", "name"});
    sql::Transaction transaction(*db, sql::TransactionKind::write);
    rows.integer(1).text("one").end_row();
    rows.integer(2);
    CHECK_THROWS_AS(rows.end_row(), std::logic_error);
    rows.clear();
    CHECK(rows.empty());
    rows.integer(3).text("three").end_row();
    rows.send();
    transaction.commit();
    CHECK(db->query_int64("SELECT count(*) FROM t") == 1);
    CHECK(db->query_int64("SELECT id FROM t") == 3);
}

TEST_CASE(
    "row batch: rows that break the table's constraint fail their transaction, naming the table, "
    "and the connection goes on") {
    StoreFile file;
    auto db = sql::Database::open(file.location);
    db->exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
    store::RowBatch rows(*db, "t", {"id", "name"});
    {
        sql::Transaction transaction(*db, sql::TransactionKind::write);
        rows.integer(1).text("one").end_row();
        rows.integer(1).text("one again").end_row();
        std::string error;
        try {
            rows.send();
        } catch (const sql::Error& e) {
            error = e.what();
        }
        // The statement that failed, with its table and columns.
        CHECK(error.find("t (id, name)") != std::string::npos);
        CHECK(rows.empty());
    }  // rolled back
    CHECK(db->query_int64("SELECT count(*) FROM t") == 0);
    sql::Transaction transaction(*db, sql::TransactionKind::write);
    rows.integer(2).text("two").end_row();
    rows.send();
    transaction.commit();
    CHECK(db->query_int64("SELECT count(*) FROM t") == 1);
}

TEST_CASE(
    "row batch: rows with ON CONFLICT DO NOTHING keep the first of a key, in more rows than one "
    "statement takes and over two sends of a transaction") {
    StoreFile file;
    auto db = sql::Database::open(file.location);
    db->exec("CREATE TABLE t ({rowid} k TEXT NOT NULL UNIQUE, n INTEGER NOT NULL)");
    store::RowBatch rows(*db, "t", {"k", "n"}, "ON CONFLICT DO NOTHING");
    auto key = [](int i) { return "k" + std::to_string(i); };
    {
        sql::Transaction transaction(*db, sql::TransactionKind::write);
        rows.text(key(0)).integer(-1).end_row();
        rows.send();
        transaction.commit();
    }
    {
        sql::Transaction transaction(*db, sql::TransactionKind::write);
        // Keys 0..599 twice over, in more rows than one statement takes: the
        // first row of each key stands, and k0 was stored before.
        for (int round = 0; round < 2; ++round)
            for (int i = 0; i < 600; ++i) rows.text(key(i)).integer(round * 1000 + i).end_row();
        rows.send();
        // A second send in the same transaction meets only what it sends.
        rows.text(key(700)).integer(700).end_row();
        rows.text(key(5)).integer(-5).end_row();
        rows.send();
        transaction.commit();
    }
    CHECK(db->query_int64("SELECT count(*) FROM t") == 601);
    CHECK(db->query_int64("SELECT n FROM t WHERE k = 'k0'") == -1);
    CHECK(db->query_int64("SELECT n FROM t WHERE k = 'k5'") == 5);
    CHECK(db->query_int64("SELECT n FROM t WHERE k = 'k599'") == 599);
    CHECK(db->query_int64("SELECT n FROM t WHERE k = 'k700'") == 700);
    CHECK(db->query_int64("SELECT sum(n) FROM t WHERE k <> 'k0' AND k <> 'k700'") == 599 * 600 / 2);
    {
        sql::Transaction transaction(*db, sql::TransactionKind::write);
        rows.text(key(800)).integer(800).end_row();
        rows.send();
    }  // rolled back: its row with it
    sql::Transaction transaction(*db, sql::TransactionKind::write);
    rows.text(key(801)).integer(801).end_row();
    rows.send();
    transaction.commit();
    CHECK(db->query_int64("SELECT count(*) FROM t WHERE k IN ('k800', 'k801')") == 1);
    CHECK(db->query_int64("SELECT n FROM t WHERE k = 'k801'") == 801);
}

TEST_CASE("row batch: rows with ON CONFLICT DO UPDATE replace what was stored") {
    StoreFile file;
    auto db = sql::Database::open(file.location);
    db->exec("CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER NOT NULL)");
    store::RowBatch rows(*db, "t", {"k", "n"}, "ON CONFLICT (k) DO UPDATE SET n = excluded.n");
    for (int round = 0; round < 2; ++round) {
        sql::Transaction transaction(*db, sql::TransactionKind::write);
        for (int i = 0; i < 300 + round * 100; ++i)
            rows.text("k" + std::to_string(i)).integer(round * 1000 + i).end_row();
        rows.send();
        transaction.commit();
    }
    CHECK(db->query_int64("SELECT count(*) FROM t") == 400);
    CHECK(db->query_int64("SELECT count(*) FROM t WHERE n >= 1000") == 400);
}
