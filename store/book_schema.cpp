#include "store/book_schema.h"

#include "store/audit_log.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <algorithm>
#include <exception>
#include <thread>
#include <vector>
#include <stdexcept>
#include <string>

namespace fieldflow::store {

namespace {

constexpr const char* schema = R"sql(
CREATE TABLE IF NOT EXISTS book_names (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS book_sources (
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, file TEXT NOT NULL, digest TEXT NOT NULL,
  imported_at_ms INTEGER NOT NULL,
  rows_stored INTEGER, rows_unchanged INTEGER, rows_conflicting INTEGER, rows_late INTEGER,
  rows_bad INTEGER);
CREATE INDEX IF NOT EXISTS book_sources_by_digest ON book_sources (kind, digest);
CREATE TABLE IF NOT EXISTS shipments (
  id INTEGER PRIMARY KEY, shipment_id TEXT NOT NULL,
  day INTEGER NOT NULL, booked_day INTEGER NOT NULL,
  distributor INTEGER NOT NULL, product INTEGER NOT NULL, lot INTEGER NOT NULL,
  expiry INTEGER NOT NULL, qty INTEGER NOT NULL,
  source INTEGER NOT NULL REFERENCES book_sources(id), line INTEGER NOT NULL,
  UNIQUE (shipment_id, product, lot));
CREATE TABLE IF NOT EXISTS flows (
  id INTEGER PRIMARY KEY, flow_id TEXT NOT NULL UNIQUE,
  day INTEGER NOT NULL, booked_day INTEGER NOT NULL,
  seller INTEGER NOT NULL, buyer INTEGER NOT NULL, product INTEGER NOT NULL, lot INTEGER NOT NULL,
  qty INTEGER NOT NULL,
  source INTEGER NOT NULL REFERENCES book_sources(id), line INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS flow_conflicts (
  id INTEGER PRIMARY KEY, flow_id TEXT NOT NULL, first INTEGER NOT NULL REFERENCES flows(id),
  day INTEGER NOT NULL, seller INTEGER NOT NULL, buyer INTEGER NOT NULL,
  product INTEGER NOT NULL, lot INTEGER NOT NULL, qty INTEGER NOT NULL,
  source INTEGER NOT NULL REFERENCES book_sources(id), line INTEGER NOT NULL,
  UNIQUE (flow_id, day, seller, buyer, product, lot, qty));
CREATE TABLE IF NOT EXISTS stock_reports (
  id INTEGER PRIMARY KEY, report_id TEXT NOT NULL,
  day INTEGER NOT NULL, booked_day INTEGER NOT NULL,
  holder INTEGER NOT NULL, product INTEGER NOT NULL, lot INTEGER NOT NULL, qty INTEGER NOT NULL,
  source INTEGER NOT NULL REFERENCES book_sources(id), line INTEGER NOT NULL,
  UNIQUE (report_id, holder, product, lot));
CREATE TABLE IF NOT EXISTS openings (
  holder INTEGER NOT NULL, product INTEGER NOT NULL, period INTEGER NOT NULL,
  qty INTEGER NOT NULL,
  source INTEGER NOT NULL REFERENCES book_sources(id), line INTEGER NOT NULL,
  PRIMARY KEY (holder, product, period));
CREATE TABLE IF NOT EXISTS closed_periods (
  period TEXT PRIMARY KEY, closed_at_ms INTEGER NOT NULL, closed_by TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS period_log (
  id INTEGER PRIMARY KEY, period TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('close', 'reopen')),
  reason TEXT NOT NULL, by TEXT NOT NULL, at_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS flow_adjustments (
  id INTEGER PRIMARY KEY, flow INTEGER NOT NULL REFERENCES flows(id),
  field TEXT NOT NULL CHECK (field IN ('qty', 'buyer', 'lot', 'date')),
  old_value TEXT NOT NULL, new_value TEXT NOT NULL,
  reason TEXT NOT NULL, by TEXT NOT NULL, at_ms INTEGER NOT NULL);
)sql";

// Reading ten million rows through SQLiteCpp's Column objects costs a
// shared_ptr copy per value; the loader steps the C statement directly.
class RawQuery {
  public:
    RawQuery(sqlite3* db, const char* sql) {
        if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
            throw std::runtime_error(sqlite3_errmsg(db));
    }
    ~RawQuery() { sqlite3_finalize(stmt_); }
    RawQuery(const RawQuery&) = delete;
    RawQuery& operator=(const RawQuery&) = delete;

    bool step() {
        int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw std::runtime_error(sqlite3_errmsg(sqlite3_db_handle(stmt_)));
    }
    std::int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
    void bind(int index, std::int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
    std::string_view text(int column) const {
        auto data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
        return data ? std::string_view(data, sqlite3_column_bytes(stmt_, column))
                    : std::string_view();
    }

  private:
    sqlite3_stmt* stmt_ = nullptr;
};

core::Flow flow_row(const RawQuery& q) {
    auto id = [](std::int64_t value) { return static_cast<core::NameId>(value); };
    auto day = [](std::int64_t value) { return static_cast<core::Day>(value); };
    return {q.integer(0),     day(q.integer(1)), day(q.integer(2)), id(q.integer(3)),
            id(q.integer(4)), id(q.integer(5)),  id(q.integer(6)),  q.integer(7)};
}

constexpr const char* flows_between =
    "SELECT id, day, booked_day, seller, buyer, product, lot, qty FROM flows "
    "WHERE id BETWEEN ?1 AND ?2 ORDER BY id";

// Flows are the bulk of the books: the upper half of the row ids is read on
// a second connection while this one reads the lower half. Flows are only
// ever appended, so the second reader, bounded by the first one's last row
// id, sees exactly the rows of the first one's snapshot.
std::vector<core::Flow> load_flows(sqlite3* handle) {
    RawQuery bounds(handle, "SELECT coalesce(min(id), 1), coalesce(max(id), 0) FROM flows");
    bounds.step();
    std::int64_t first = bounds.integer(0), last = bounds.integer(1);
    std::int64_t middle = first + (last - first) / 2;
    const char* path = sqlite3_db_filename(handle, "main");
    if (!path || !*path) middle = last;  // a database without a file: one reader
    std::vector<core::Flow> lower, upper;
    std::exception_ptr failure;
    std::thread second([&] {
        if (middle == last) return;
        try {
            SQLite::Database other(path, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX);
            RawQuery q(other.getHandle(), flows_between);
            q.bind(1, middle + 1);
            q.bind(2, last);
            upper.reserve(static_cast<std::size_t>(std::max<std::int64_t>(last - middle, 0)));
            while (q.step()) upper.push_back(flow_row(q));
        } catch (...) {
            failure = std::current_exception();
        }
    });
    RawQuery q(handle, flows_between);
    q.bind(1, first);
    q.bind(2, middle);
    lower.reserve(static_cast<std::size_t>(std::max<std::int64_t>(last - first + 1, 0)));
    while (q.step()) lower.push_back(flow_row(q));
    second.join();
    if (failure) std::rethrow_exception(failure);
    lower.insert(lower.end(), upper.begin(), upper.end());
    return lower;
}

}  // namespace

void ensure_book_schema(SQLite::Database& db) {
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    db.exec(schema);
    AuditLog::ensure_schema(db);
    transaction.commit();
}

core::DistributionBook load_book(SQLite::Database& db) {
    sqlite3* handle = db.getHandle();
    SQLite::Transaction snapshot(db);  // one consistent view across the tables
    core::DistributionBook book;
    RawQuery names(handle, "SELECT id, text FROM book_names");
    while (names.step())
        book.names.restore(static_cast<core::NameId>(names.integer(0)), names.text(1));
    auto id = [](std::int64_t value) { return static_cast<core::NameId>(value); };
    auto day = [](std::int64_t value) { return static_cast<core::Day>(value); };

    book.flows = load_flows(handle);

    RawQuery shipments(handle,
                       "SELECT id, day, booked_day, distributor, product, lot, expiry, qty "
                       "FROM shipments ORDER BY id");
    while (shipments.step())
        book.shipments.push_back({shipments.integer(0), day(shipments.integer(1)),
                                  day(shipments.integer(2)), id(shipments.integer(3)),
                                  id(shipments.integer(4)), id(shipments.integer(5)),
                                  day(shipments.integer(6)), shipments.integer(7)});

    // The report id is interned on the fly: it is not in book_names.
    RawQuery stock(handle,
                   "SELECT id, day, booked_day, report_id, holder, product, lot, qty "
                   "FROM stock_reports ORDER BY id");
    while (stock.step())
        book.stock.push_back({stock.integer(0), day(stock.integer(1)), day(stock.integer(2)),
                              book.names.intern(stock.text(3)), id(stock.integer(4)),
                              id(stock.integer(5)), id(stock.integer(6)), stock.integer(7)});

    RawQuery openings(handle, "SELECT holder, product, period, qty FROM openings");
    while (openings.step())
        book.openings.push_back({id(openings.integer(0)), id(openings.integer(1)),
                                 static_cast<core::Period>(openings.integer(2)),
                                 openings.integer(3)});

    RawQuery conflicts(handle, "SELECT id, first, day FROM flow_conflicts ORDER BY id");
    while (conflicts.step())
        book.flow_conflicts.push_back(
            {conflicts.integer(0), conflicts.integer(1), day(conflicts.integer(2))});

    // Operators' adjustments, oldest first so the latest wins.
    RawQuery adjustments(handle, "SELECT flow, field, new_value FROM flow_adjustments ORDER BY id");
    while (adjustments.step()) {
        auto row = adjustments.integer(0);
        auto flow = std::lower_bound(book.flows.begin(), book.flows.end(), row,
                                     [](const core::Flow& f, std::int64_t r) { return f.row < r; });
        if (flow == book.flows.end() || flow->row != row) continue;
        std::string_view field = adjustments.text(1), value = adjustments.text(2);
        if (field == "qty") flow->qty = std::stoll(std::string(value));
        if (field == "buyer") flow->buyer = book.names.intern(value);
        if (field == "lot") flow->lot = book.names.intern(value);
        if (field == "date") flow->day = flow->booked_day = *core::parse_date(value);
    }
    return book;
}

}  // namespace fieldflow::store
