// fieldflow-bench-raw-insert: the physical limit the gateway is measured
// against. It takes the very rows a gateway stored during a run (records,
// their reasons and audit entries, open visits, pack sightings, the stock
// reports booked...) from that store, and inserts them into a fresh store of
// the same schema and kind, BATCH rows per transaction, with the same
// durability (full), doing nothing else: no decoding, validation or hashing,
// and no foreign-key checks. SQLite gets one prepared insert per table;
// PostgreSQL a COPY per batch, its bulk path. Reading the rows is not timed.
//   fieldflow-bench-raw-insert FROM TO BATCH [TABLE...]
// With TABLEs, only those tables are copied.
// Prints "R records, N rows in S s: X records/s, Y rows/s".

#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <span>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "store/gateway_store.h"

using namespace fieldflow;
using Clock = std::chrono::steady_clock;

namespace {

// A table's rows as read: each value NULL, an integer, text or a blob.
struct Blob {
    std::string bytes;
};
using Value = std::variant<std::monostate, std::int64_t, std::string, Blob>;
struct Table {
    std::string name;
    std::vector<std::vector<Value>> rows;
};

// The tables in `db`'s schema, in the order the schema made them.
std::vector<std::string> table_names(store::sql::Database& db) {
    bool pg = db.backend() == store::sql::Backend::postgresql;
    store::sql::Statement names(
        db, pg ? "SELECT table_name FROM information_schema.tables "
                 "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
               : "SELECT name FROM sqlite_master WHERE type = 'table' "
                 "AND name NOT LIKE 'sqlite_%'");
    std::vector<std::string> out;
    while (names.step()) out.emplace_back(names.text(0));
    return out;
}

// The tables of the gateway's schema that hold rows in `from` and none yet
// in the fresh `to`, whose own bookkeeping rows (schema version, commit
// counter) stay as they are. A table `to` does not have (master data's, the
// operators' tools') is not ingest's to insert.
std::vector<std::string> tables_to_copy(store::sql::Database& from, store::sql::Database& to,
                                        const std::set<std::string>& only) {
    auto made = table_names(to);
    std::set<std::string> fresh(made.begin(), made.end());
    std::vector<std::string> out;
    for (const auto& name : table_names(from)) {
        if (!only.empty() && !only.count(name)) continue;
        if (!fresh.count(name)) continue;
        if (from.query_int64("SELECT count(*) FROM " + name) > 0 &&
            to.query_int64("SELECT count(*) FROM " + name) == 0)
            out.push_back(name);
    }
    return out;
}

// PostgreSQL: the columns a COPY may write (not those it generates always).
std::vector<std::string> writable_columns(store::sql::Database& db, const std::string& table) {
    store::sql::Statement q(db,
                            "SELECT column_name FROM information_schema.columns "
                            "WHERE table_schema = current_schema() AND table_name = ?1 "
                            "AND (is_identity = 'NO' OR identity_generation = 'BY DEFAULT') "
                            "ORDER BY ordinal_position");
    q.bind(1, table);
    std::vector<std::string> out;
    while (q.step()) out.emplace_back(q.text(0));
    return out;
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "fieldflow-bench-raw-insert: %s\n", what.c_str());
    std::exit(1);
}

PGresult* checked(PGresult* result, ExecStatusType wanted, const std::string& what) {
    if (PQresultStatus(result) != wanted) fail(what + ": " + PQresultErrorMessage(result));
    return result;
}

// SQLite: every table read into memory (through the C API, which tells
// text from blobs as the schema's CHECKs do), then inserted with a prepared
// statement per table, `batch` rows a transaction across tables.
std::size_t copy_sqlite(const std::string& from, store::sql::Database& to,
                        const std::vector<std::string>& names, long batch, double& seconds) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(from.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
        fail("cannot open " + from);
    std::vector<Table> tables;
    for (const auto& name : names) {
        Table t{name, {}};
        sqlite3_stmt* q = nullptr;
        if (sqlite3_prepare_v2(db, ("SELECT * FROM " + name).c_str(), -1, &q, nullptr) != SQLITE_OK)
            fail(sqlite3_errmsg(db));
        while (sqlite3_step(q) == SQLITE_ROW) {
            std::vector<Value> row;
            for (int c = 0; c < sqlite3_column_count(q); ++c) {
                auto bytes = [&] {
                    auto* data = static_cast<const char*>(sqlite3_column_blob(q, c));
                    return std::string(data ? data : "",
                                       static_cast<std::size_t>(sqlite3_column_bytes(q, c)));
                };
                switch (sqlite3_column_type(q, c)) {
                    case SQLITE_NULL:
                        row.emplace_back(std::monostate{});
                        break;
                    case SQLITE_INTEGER:
                        row.emplace_back(std::int64_t{sqlite3_column_int64(q, c)});
                        break;
                    case SQLITE_TEXT:
                        row.emplace_back(bytes());
                        break;
                    default:
                        row.emplace_back(Blob{bytes()});
                }
            }
            t.rows.push_back(std::move(row));
        }
        sqlite3_finalize(q);
        tables.push_back(std::move(t));
    }
    sqlite3_close(db);
    to.exec("PRAGMA foreign_keys = OFF");
    std::size_t rows = 0;
    auto start = Clock::now();
    std::optional<store::sql::Transaction> transaction;
    long in_transaction = 0;
    for (const auto& t : tables) {
        std::string sql = "INSERT INTO " + t.name + " VALUES (";
        for (std::size_t c = 0; c < t.rows.front().size(); ++c)
            sql += (c ? ", ?" : "?") + std::to_string(c + 1);
        store::sql::Statement put(to, sql + ")");
        for (const auto& row : t.rows) {
            if (!transaction) transaction.emplace(to);
            for (std::size_t c = 0; c < row.size(); ++c) {
                int at = static_cast<int>(c + 1);
                if (auto* n = std::get_if<std::int64_t>(&row[c]))
                    put.bind(at, *n);
                else if (auto* text = std::get_if<std::string>(&row[c]))
                    put.bind_borrowed(at, *text);
                else if (auto* blob = std::get_if<Blob>(&row[c]))
                    put.bind_blob_borrowed(at, std::as_bytes(std::span(blob->bytes)));
                else
                    put.bind_null(at);
            }
            put.exec();
            ++rows;
            if (++in_transaction == batch) {
                transaction->commit();
                transaction.reset();
                in_transaction = 0;
            }
        }
    }
    if (transaction) transaction->commit();
    seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return rows;
}

// PostgreSQL: every table copied out as COPY's text into memory, then
// copied in, `batch` lines a transaction.
std::size_t copy_postgresql(const std::string& from_url, store::sql::Database& from,
                            const std::string& to_url, const std::vector<std::string>& names,
                            long batch, double& seconds) {
    PGconn* in = PQconnectdb(from_url.c_str());
    PGconn* out = PQconnectdb(to_url.c_str());
    if (PQstatus(in) != CONNECTION_OK || PQstatus(out) != CONNECTION_OK)
        fail("cannot connect: " + std::string(PQerrorMessage(in)) + PQerrorMessage(out));
    struct Copied {
        std::string table, columns;
        std::vector<std::string> chunks;  // `batch` lines each
        std::size_t rows = 0;
    };
    std::vector<Copied> copied;
    for (const auto& name : names) {
        Copied c{name, joined(writable_columns(from, name)), {}, 0};
        PQclear(checked(PQexec(in, ("COPY " + name + " (" + c.columns + ") TO STDOUT").c_str()),
                        PGRES_COPY_OUT, "copy out"));
        char* line = nullptr;
        long lines = 0;
        for (int n; (n = PQgetCopyData(in, &line, 0)) > 0; PQfreemem(line)) {
            if (lines++ % batch == 0) c.chunks.emplace_back();
            c.chunks.back().append(line, static_cast<std::size_t>(n));
            ++c.rows;
        }
        PQclear(PQgetResult(in));
        copied.push_back(std::move(c));
    }
    PQclear(checked(PQexec(out, "SET session_replication_role = replica"), PGRES_COMMAND_OK,
                    "foreign keys off"));
    std::size_t rows = 0;
    auto start = Clock::now();
    for (const auto& c : copied) {
        for (const auto& chunk : c.chunks) {
            PQclear(checked(PQexec(out, "BEGIN"), PGRES_COMMAND_OK, "begin"));
            PQclear(checked(
                PQexec(out, ("COPY " + c.table + " (" + c.columns + ") FROM STDIN").c_str()),
                PGRES_COPY_IN, "copy in"));
            PQputCopyData(out, chunk.data(), static_cast<int>(chunk.size()));
            PQputCopyEnd(out, nullptr);
            for (PGresult* r; (r = PQgetResult(out));)
                PQclear(checked(r, PGRES_COMMAND_OK, c.table));
            PQclear(checked(PQexec(out, "COMMIT"), PGRES_COMMAND_OK, "commit"));
        }
        rows += c.rows;
    }
    seconds = std::chrono::duration<double>(Clock::now() - start).count();
    PQfinish(in);
    PQfinish(out);
    return rows;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: fieldflow-bench-raw-insert FROM TO BATCH [TABLE...]\n");
        return 2;
    }
    std::string from_location = argv[1], to_location = argv[2];
    long batch = std::max(1L, std::atol(argv[3]));
    std::set<std::string> only(argv + 4, argv + argc);
    auto from = store::sql::Database::open(from_location, store::sql::Access::read_only);
    // The gateway's schema and settings, as the gateway opens its store.
    store::GatewayStore target(to_location, store::Durability::full);
    auto& to = target.db();
    to.checkpoint_in_background();
    auto names = tables_to_copy(*from, to, only);
    auto records = from->query_int64("SELECT count(*) FROM records");
    double seconds = 0;
    std::size_t rows =
        store::sql::is_postgresql(to_location)
            ? copy_postgresql(from_location, *from, to_location, names, batch, seconds)
            : copy_sqlite(from_location, to, names, batch, seconds);
    std::printf("%lld records, %zu rows in %.2f s: %.0f records/s, %.0f rows/s\n",
                static_cast<long long>(records), rows, seconds, double(records) / seconds,
                double(rows) / seconds);
    return 0;
}
