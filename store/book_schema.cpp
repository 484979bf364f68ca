#include "store/book_schema.h"

#include "store/audit_log.h"

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

core::Flow flow_row(const sql::Statement& q) {
    auto id = [](std::int64_t value) { return static_cast<core::NameId>(value); };
    auto day = [](std::int64_t value) { return static_cast<core::Day>(value); };
    return {q.int64(0),     day(q.int64(1)), day(q.int64(2)), id(q.int64(3)),
            id(q.int64(4)), id(q.int64(5)),  id(q.int64(6)),  q.int64(7)};
}

constexpr const char* flows_between =
    "SELECT id, day, booked_day, seller, buyer, product, lot, qty FROM flows "
    "WHERE id BETWEEN ?1 AND ?2 ORDER BY id";

// Flows are the bulk of the books: the upper half of the row ids is read on
// a second connection while this one reads the lower half. Flows are only
// ever appended, so the second reader, bounded by the first one's last row
// id, sees exactly the rows of the first one's snapshot.
std::vector<core::Flow> load_flows(sql::Database& db) {
    sql::Statement bounds(db, "SELECT coalesce(min(id), 1), coalesce(max(id), 0) FROM flows");
    bounds.step();
    std::int64_t first = bounds.int64(0), last = bounds.int64(1);
    bounds.reset();
    std::int64_t middle = first + (last - first) / 2;
    const std::string& location = db.location();
    if (location.empty() || location == ":memory:") middle = last;  // no second reader
    std::vector<core::Flow> lower, upper;
    std::exception_ptr failure;
    std::thread second([&] {
        if (middle == last) return;
        try {
            auto other = sql::Database::open(location, sql::Access::read_only);
            sql::Statement q(*other, flows_between);
            q.bind(1, middle + 1);
            q.bind(2, last);
            upper.reserve(static_cast<std::size_t>(std::max<std::int64_t>(last - middle, 0)));
            while (q.step()) upper.push_back(flow_row(q));
        } catch (...) {
            failure = std::current_exception();
        }
    });
    sql::Statement q(db, flows_between);
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

void ensure_book_schema(sql::Database& db) {
    sql::Transaction transaction(db, sql::TransactionKind::write);
    db.exec(schema);
    AuditLog::ensure_schema(db);
    transaction.commit();
}

core::DistributionBook load_book(sql::Database& db) {
    sql::Transaction snapshot(db, sql::TransactionKind::read);  // one view across the tables
    core::DistributionBook book;
    sql::Statement names(db, "SELECT id, text FROM book_names");
    while (names.step())
        book.names.restore(static_cast<core::NameId>(names.int64(0)), names.text_view(1));
    auto id = [](std::int64_t value) { return static_cast<core::NameId>(value); };
    auto day = [](std::int64_t value) { return static_cast<core::Day>(value); };

    book.flows = load_flows(db);

    sql::Statement shipments(db,
                             "SELECT id, day, booked_day, distributor, product, lot, expiry, qty "
                             "FROM shipments ORDER BY id");
    while (shipments.step())
        book.shipments.push_back({shipments.int64(0), day(shipments.int64(1)),
                                  day(shipments.int64(2)), id(shipments.int64(3)),
                                  id(shipments.int64(4)), id(shipments.int64(5)),
                                  day(shipments.int64(6)), shipments.int64(7)});

    // The report id is interned on the fly: it is not in book_names.
    sql::Statement stock(db,
                         "SELECT id, day, booked_day, report_id, holder, product, lot, qty "
                         "FROM stock_reports ORDER BY id");
    while (stock.step())
        book.stock.push_back({stock.int64(0), day(stock.int64(1)), day(stock.int64(2)),
                              book.names.intern(stock.text_view(3)), id(stock.int64(4)),
                              id(stock.int64(5)), id(stock.int64(6)), stock.int64(7)});

    sql::Statement openings(db, "SELECT holder, product, period, qty FROM openings");
    while (openings.step())
        book.openings.push_back({id(openings.int64(0)), id(openings.int64(1)),
                                 static_cast<core::Period>(openings.int64(2)), openings.int64(3)});

    sql::Statement conflicts(db, "SELECT id, first, day FROM flow_conflicts ORDER BY id");
    while (conflicts.step())
        book.flow_conflicts.push_back(
            {conflicts.int64(0), conflicts.int64(1), day(conflicts.int64(2))});

    // Operators' adjustments, oldest first so the latest wins.
    sql::Statement adjustments(db,
                               "SELECT flow, field, new_value FROM flow_adjustments ORDER BY id");
    while (adjustments.step()) {
        auto row = adjustments.int64(0);
        auto flow = std::lower_bound(book.flows.begin(), book.flows.end(), row,
                                     [](const core::Flow& f, std::int64_t r) { return f.row < r; });
        if (flow == book.flows.end() || flow->row != row) continue;
        std::string_view field = adjustments.text_view(1), value = adjustments.text_view(2);
        if (field == "qty") flow->qty = std::stoll(std::string(value));
        if (field == "buyer") flow->buyer = book.names.intern(value);
        if (field == "lot") flow->lot = book.names.intern(value);
        if (field == "date") flow->day = flow->booked_day = *core::parse_date(value);
    }
    return book;
}

}  // namespace fieldflow::store
