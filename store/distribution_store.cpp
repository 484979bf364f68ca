#include "store/distribution_store.h"

#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <unordered_map>

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

std::int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

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
    std::string_view text(int column) const {
        auto data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
        return data ? std::string_view(data, sqlite3_column_bytes(stmt_, column))
                    : std::string_view();
    }

  private:
    sqlite3_stmt* stmt_ = nullptr;
};

core::Names load_names(sqlite3* db) {
    core::Names names;
    RawQuery query(db, "SELECT id, text FROM book_names");
    while (query.step()) names.restore(static_cast<core::NameId>(query.integer(0)), query.text(1));
    return names;
}

}  // namespace

DistributionStore::DistributionStore(const std::string& path)
    // One connection per thread: SQLite's own locking of every call is not needed.
    : db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX) {
    db_.setBusyTimeout(5000);
    db_.exec("PRAGMA journal_mode = WAL");
    db_.exec("PRAGMA synchronous = FULL");
    db_.exec("PRAGMA foreign_keys = ON");
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    db_.exec(schema);
    transaction.commit();
}

DistributionStore::~DistributionStore() = default;

std::optional<PriorImport> DistributionStore::imported_before(core::ImportKind kind,
                                                              const std::string& digest) {
    SQLite::Statement query(db_,
                            "SELECT file, imported_at_ms FROM book_sources "
                            "WHERE kind = ?1 AND digest = ?2 AND rows_bad = 0");
    query.bind(1, std::string(core::name(kind)));
    query.bind(2, digest);
    if (!query.executeStep()) return std::nullopt;
    return PriorImport{query.getColumn(0).getString(), query.getColumn(1).getInt64()};
}

// ---------------------------------------------------------------- import

struct DistributionStore::Import::State {
    State(SQLite::Database& database, core::ImportKind import_kind)
        : db(database),
          kind(import_kind),
          transaction(db, SQLite::TransactionBehavior::IMMEDIATE),
          names(load_names(db.getHandle())),
          insert_name(db, "INSERT INTO book_names (id, text) VALUES (?1, ?2)"),
          insert_shipment(db,
                          "INSERT INTO shipments (shipment_id, day, booked_day, distributor, "
                          "product, lot, expiry, qty, source, line) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
                          "ON CONFLICT (shipment_id, product, lot) DO NOTHING"),
          find_shipment(db,
                        "SELECT day, distributor, expiry, qty FROM shipments "
                        "WHERE shipment_id = ?1 AND product = ?2 AND lot = ?3"),
          insert_flow(db,
                      "INSERT INTO flows (flow_id, day, booked_day, seller, buyer, product, lot, "
                      "qty, source, line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
                      "ON CONFLICT (flow_id) DO NOTHING"),
          find_flow(db,
                    "SELECT id, day, seller, buyer, product, lot, qty FROM flows "
                    "WHERE flow_id = ?1"),
          insert_conflict(db,
                          "INSERT INTO flow_conflicts (flow_id, first, day, seller, buyer, "
                          "product, lot, qty, source, line) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
                          "ON CONFLICT DO NOTHING"),
          insert_stock(db,
                       "INSERT INTO stock_reports (report_id, day, booked_day, holder, product, "
                       "lot, qty, source, line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
                       "ON CONFLICT (report_id, holder, product, lot) DO NOTHING"),
          find_stock(db,
                     "SELECT day, qty FROM stock_reports "
                     "WHERE report_id = ?1 AND holder = ?2 AND product = ?3 AND lot = ?4"),
          insert_opening(db,
                         "INSERT INTO openings (holder, product, period, qty, source, line) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                         "ON CONFLICT (holder, product, period) DO NOTHING"),
          find_opening(db,
                       "SELECT qty FROM openings WHERE holder = ?1 AND product = ?2 AND "
                       "period = ?3") {
        std::set<core::Period> closed;
        SQLite::Statement periods(db, "SELECT period FROM closed_periods");
        while (periods.executeStep())
            if (auto p = core::parse_period(periods.getColumn(0).getString())) closed.insert(*p);
        closed_periods = core::ClosedPeriods(std::move(closed));
    }

    core::NameId name(const std::string& text) {
        std::size_t bound = names.bound();
        core::NameId id = names.intern(text);
        if (id >= bound) {
            insert_name.bind(1, static_cast<std::int64_t>(id));
            insert_name.bindNoCopy(2, text);
            insert_name.exec();
            insert_name.reset();
        }
        return id;
    }

    // Runs `insert`; when it stored nothing, `same()` says whether the stored
    // row has the offered content.
    template <class Same>
    bool inserted(SQLite::Statement& insert, Same&& same) {
        insert.exec();
        insert.reset();
        if (db.getChanges() > 0) {
            ++summary.stored;
            return true;
        }
        if (same()) ++summary.unchanged;
        return false;
    }

    void refuse(unsigned line, std::string message) {
        errors->push_back({file, line, std::move(message)});
    }

    void add(const core::ShipmentRow& row) {
        auto product = name(row.product), lot = name(row.lot), distributor = name(row.distributor);
        auto booked = closed_periods.booking_day(row.day);
        auto& s = insert_shipment;
        s.bindNoCopy(1, row.shipment_id);
        s.bind(2, row.day);
        s.bind(3, booked);
        s.bind(4, distributor);
        s.bind(5, product);
        s.bind(6, lot);
        s.bind(7, row.expiry);
        s.bind(8, row.qty);
        s.bind(9, source);
        s.bind(10, row.line);
        bool stored = inserted(s, [&] {
            find_shipment.bindNoCopy(1, row.shipment_id);
            find_shipment.bind(2, product);
            find_shipment.bind(3, lot);
            find_shipment.executeStep();
            bool same = find_shipment.getColumn(0).getInt() == row.day &&
                        find_shipment.getColumn(1).getInt64() == distributor &&
                        find_shipment.getColumn(2).getInt() == row.expiry &&
                        find_shipment.getColumn(3).getInt64() == row.qty;
            find_shipment.reset();
            if (!same)
                refuse(row.line, "shipment " + row.shipment_id + " (" + row.product + " lot " +
                                     row.lot + ") was imported before with other content");
            return same;
        });
        if (stored && booked != row.day) ++summary.late;
    }

    void add(const core::FlowRow& row) {
        core::NameId seller = name(row.seller), buyer = name(row.buyer),
                     product = name(row.product), lot = name(row.lot);
        auto booked = closed_periods.booking_day(row.day);
        auto bind_content = [&](SQLite::Statement& s, int first) {
            s.bind(first, row.day);
            s.bind(first + 1, seller);
            s.bind(first + 2, buyer);
            s.bind(first + 3, product);
            s.bind(first + 4, lot);
            s.bind(first + 5, row.qty);
        };
        auto& s = insert_flow;
        s.bindNoCopy(1, row.flow_id);
        s.bind(2, row.day);
        s.bind(3, booked);
        s.bind(4, seller);
        s.bind(5, buyer);
        s.bind(6, product);
        s.bind(7, lot);
        s.bind(8, row.qty);
        s.bind(9, source);
        s.bind(10, row.line);
        bool stored = inserted(s, [&] {
            find_flow.bindNoCopy(1, row.flow_id);
            find_flow.executeStep();
            std::int64_t first = find_flow.getColumn(0).getInt64();
            bool same = find_flow.getColumn(1).getInt() == row.day &&
                        find_flow.getColumn(2).getInt64() == seller &&
                        find_flow.getColumn(3).getInt64() == buyer &&
                        find_flow.getColumn(4).getInt64() == product &&
                        find_flow.getColumn(5).getInt64() == lot &&
                        find_flow.getColumn(6).getInt64() == row.qty;
            find_flow.reset();
            if (same) return true;
            auto& c = insert_conflict;
            c.bindNoCopy(1, row.flow_id);
            c.bind(2, first);
            bind_content(c, 3);
            c.bind(9, source);
            c.bind(10, row.line);
            c.exec();
            c.reset();
            // A conflict already kept from an earlier file changes nothing.
            if (db.getChanges() > 0) ++summary.conflicting;
            return db.getChanges() == 0;
        });
        if (stored && booked != row.day) ++summary.late;
    }

    void add(const core::StockRow& row) {
        auto holder = name(row.holder), product = name(row.product), lot = name(row.lot);
        auto booked = closed_periods.booking_day(row.day);
        auto& s = insert_stock;
        s.bindNoCopy(1, row.report_id);
        s.bind(2, row.day);
        s.bind(3, booked);
        s.bind(4, holder);
        s.bind(5, product);
        s.bind(6, lot);
        s.bind(7, row.qty);
        s.bind(8, source);
        s.bind(9, row.line);
        bool stored = inserted(s, [&] {
            find_stock.bindNoCopy(1, row.report_id);
            find_stock.bind(2, holder);
            find_stock.bind(3, product);
            find_stock.bind(4, lot);
            find_stock.executeStep();
            bool same = find_stock.getColumn(0).getInt() == row.day &&
                        find_stock.getColumn(1).getInt64() == row.qty;
            find_stock.reset();
            if (!same)
                refuse(row.line, "stock report " + row.report_id + " (" + row.holder + ", " +
                                     row.product + (row.lot.empty() ? "" : " lot " + row.lot) +
                                     ") was imported before with other content");
            return same;
        });
        if (stored && booked != row.day) ++summary.late;
    }

    void add(const core::OpeningRow& row) {
        auto holder = name(row.holder), product = name(row.product);
        auto& s = insert_opening;
        s.bind(1, holder);
        s.bind(2, product);
        s.bind(3, row.period);
        s.bind(4, row.qty);
        s.bind(5, source);
        s.bind(6, row.line);
        inserted(s, [&] {
            find_opening.bind(1, holder);
            find_opening.bind(2, product);
            find_opening.bind(3, row.period);
            find_opening.executeStep();
            std::int64_t stored = find_opening.getColumn(0).getInt64();
            find_opening.reset();
            if (stored != row.qty)
                refuse(row.line, "opening of " + row.holder + ", " + row.product + " for " +
                                     core::format_period(row.period) + " is already " +
                                     std::to_string(stored) + ", not " + std::to_string(row.qty));
            return stored == row.qty;
        });
    }

    SQLite::Database& db;
    core::ImportKind kind;
    std::string file;
    std::int64_t source = 0;
    std::vector<core::LoadError>* errors = nullptr;
    SQLite::Transaction transaction;
    core::Names names;
    core::ClosedPeriods closed_periods;
    ImportSummary summary;
    SQLite::Statement insert_name;
    SQLite::Statement insert_shipment, find_shipment;
    SQLite::Statement insert_flow, find_flow, insert_conflict;
    SQLite::Statement insert_stock, find_stock;
    SQLite::Statement insert_opening, find_opening;
};

DistributionStore::Import::Import(DistributionStore& store, core::ImportKind kind,
                                  const std::string& file, const std::string& digest)
    : state_(std::make_unique<State>(store.db_, kind)) {
    state_->file = file;
    state_->errors = &errors_;
    SQLite::Statement insert(store.db_,
                             "INSERT INTO book_sources (kind, file, digest, imported_at_ms) "
                             "VALUES (?1, ?2, ?3, ?4)");
    insert.bind(1, std::string(core::name(kind)));
    insert.bind(2, file);
    insert.bind(3, digest);
    insert.bind(4, now_ms());
    insert.exec();
    state_->source = store.db_.getLastInsertRowid();
}

DistributionStore::Import::~Import() = default;

core::RowHandlers DistributionStore::Import::handlers() {
    State& s = *state_;
    return {[&s](const core::ShipmentRow& row) { s.add(row); },
            [&s](const core::FlowRow& row) { s.add(row); },
            [&s](const core::StockRow& row) { s.add(row); },
            [&s](const core::OpeningRow& row) { s.add(row); }};
}

ImportSummary DistributionStore::Import::commit(std::uint64_t bad_rows) {
    State& s = *state_;
    SQLite::Statement update(s.db,
                             "UPDATE book_sources SET rows_stored = ?2, rows_unchanged = ?3, "
                             "rows_conflicting = ?4, rows_late = ?5, rows_bad = ?6 WHERE id = ?1");
    update.bind(1, s.source);
    update.bind(2, static_cast<std::int64_t>(s.summary.stored));
    update.bind(3, static_cast<std::int64_t>(s.summary.unchanged));
    update.bind(4, static_cast<std::int64_t>(s.summary.conflicting));
    update.bind(5, static_cast<std::int64_t>(s.summary.late));
    update.bind(6, static_cast<std::int64_t>(bad_rows));
    update.exec();
    s.transaction.commit();
    return s.summary;
}

std::unique_ptr<DistributionStore::Import> DistributionStore::begin_import(
    core::ImportKind kind, const std::string& file, const std::string& digest) {
    return std::unique_ptr<Import>(new Import(*this, kind, file, digest));
}

// ---------------------------------------------------------------- reading

core::DistributionBook DistributionStore::load() {
    sqlite3* handle = db_.getHandle();
    SQLite::Transaction snapshot(db_);  // one consistent view across the tables
    core::DistributionBook book;
    book.names = load_names(handle);
    auto count = [&](const char* table) {
        return static_cast<std::size_t>(
            db_.execAndGet(std::string("SELECT count(*) FROM ") + table).getInt64());
    };
    auto id = [](std::int64_t value) { return static_cast<core::NameId>(value); };
    auto day = [](std::int64_t value) { return static_cast<core::Day>(value); };

    book.flows.reserve(count("flows"));
    RawQuery flows(handle,
                   "SELECT id, day, booked_day, seller, buyer, product, lot, qty FROM flows "
                   "ORDER BY id");
    while (flows.step())
        book.flows.push_back({flows.integer(0), day(flows.integer(1)), day(flows.integer(2)),
                              id(flows.integer(3)), id(flows.integer(4)), id(flows.integer(5)),
                              id(flows.integer(6)), flows.integer(7)});

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
        if (field == "date") flow->day = *core::parse_date(value);
    }
    return book;
}

std::string DistributionStore::id(core::RowKind kind, core::RowId row) const {
    const char* sql = nullptr;
    switch (kind) {
        case core::RowKind::shipment:
            sql = "SELECT shipment_id FROM shipments WHERE id = ?1";
            break;
        case core::RowKind::flow:
            sql = "SELECT flow_id FROM flows WHERE id = ?1";
            break;
        case core::RowKind::flow_conflict:
            sql = "SELECT flow_id FROM flow_conflicts WHERE id = ?1";
            break;
        case core::RowKind::stock:
            sql = "SELECT report_id FROM stock_reports WHERE id = ?1";
            break;
    }
    SQLite::Statement query(db_, sql);
    query.bind(1, row);
    return query.executeStep() ? query.getColumn(0).getString() : std::to_string(row);
}

// ---------------------------------------------------------------- periods

core::ClosedPeriods DistributionStore::closed_periods() {
    std::set<core::Period> closed;
    SQLite::Statement query(db_, "SELECT period FROM closed_periods");
    while (query.executeStep())
        if (auto p = core::parse_period(query.getColumn(0).getString())) closed.insert(*p);
    return core::ClosedPeriods(std::move(closed));
}

namespace {
void log_period(SQLite::Database& db, const std::string& period, const char* action,
                const std::string& reason, const std::string& by) {
    SQLite::Statement log(db,
                          "INSERT INTO period_log (period, action, reason, by, at_ms) "
                          "VALUES (?1, ?2, ?3, ?4, ?5)");
    log.bind(1, period);
    log.bind(2, action);
    log.bind(3, reason);
    log.bind(4, by);
    log.bind(5, now_ms());
    log.exec();
}
}  // namespace

bool DistributionStore::close_period(core::Period period, const std::string& by) {
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    std::string text = core::format_period(period);
    SQLite::Statement close(db_,
                            "INSERT INTO closed_periods (period, closed_at_ms, closed_by) "
                            "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING");
    close.bind(1, text);
    close.bind(2, now_ms());
    close.bind(3, by);
    if (close.exec() == 0) return false;
    log_period(db_, text, "close", "", by);
    transaction.commit();
    return true;
}

bool DistributionStore::reopen_period(core::Period period, const std::string& reason,
                                      const std::string& by) {
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    std::string text = core::format_period(period);
    SQLite::Statement reopen(db_, "DELETE FROM closed_periods WHERE period = ?1");
    reopen.bind(1, text);
    if (reopen.exec() == 0) return false;
    log_period(db_, text, "reopen", reason, by);
    transaction.commit();
    return true;
}

std::vector<PeriodEvent> DistributionStore::period_log() {
    std::vector<PeriodEvent> events;
    SQLite::Statement query(db_,
                            "SELECT period, action, reason, by, at_ms FROM period_log ORDER BY id");
    while (query.executeStep())
        events.push_back({query.getColumn(0).getString(), query.getColumn(1).getString(),
                          query.getColumn(2).getString(), query.getColumn(3).getString(),
                          query.getColumn(4).getInt64()});
    return events;
}

// ---------------------------------------------------------------- adjustments

FlowAdjustment DistributionStore::adjust_flow(const std::string& flow_id, const std::string& field,
                                              const std::string& value, const std::string& reason,
                                              const std::string& by) {
    if (field != "qty" && field != "buyer" && field != "lot" && field != "date")
        throw std::invalid_argument("a flow's qty, buyer, lot or date can be adjusted, not \"" +
                                    field + "\"");
    if (reason.empty()) throw std::invalid_argument("an adjustment needs a reason");
    if (field == "qty") {
        std::size_t end = 0;
        long long qty = 0;
        try {
            qty = std::stoll(value, &end);
        } catch (const std::exception&) {
            end = 0;
        }
        if (end == 0 || end != value.size() || qty == 0)
            throw std::invalid_argument("qty must be a non-zero integer, not \"" + value + "\"");
    }
    if (field == "date" && !core::parse_date(value))
        throw std::invalid_argument("date must be YYYY-MM-DD, not \"" + value + "\"");
    if (field == "buyer" && value.empty()) throw std::invalid_argument("buyer cannot be empty");

    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement find(db_,
                           "SELECT f.id, f.qty, f.day, b.text, l.text FROM flows f "
                           "LEFT JOIN book_names b ON b.id = f.buyer "
                           "LEFT JOIN book_names l ON l.id = f.lot WHERE f.flow_id = ?1");
    find.bind(1, flow_id);
    if (!find.executeStep()) throw std::invalid_argument("no flow " + flow_id);
    std::int64_t row = find.getColumn(0).getInt64();
    std::string original = field == "qty"     ? std::to_string(find.getColumn(1).getInt64())
                           : field == "date"  ? core::format_date(find.getColumn(2).getInt())
                           : field == "buyer" ? find.getColumn(3).getString()
                                              : find.getColumn(4).getString();
    // The value in force is the latest adjustment's, if any.
    SQLite::Statement latest(db_,
                             "SELECT new_value FROM flow_adjustments WHERE flow = ?1 AND "
                             "field = ?2 ORDER BY id DESC LIMIT 1");
    latest.bind(1, row);
    latest.bind(2, field);
    if (latest.executeStep()) original = latest.getColumn(0).getString();

    FlowAdjustment adjustment{flow_id, field, original, value, reason, by, now_ms()};
    SQLite::Statement insert(db_,
                             "INSERT INTO flow_adjustments (flow, field, old_value, new_value, "
                             "reason, by, at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    insert.bind(1, row);
    insert.bind(2, field);
    insert.bind(3, adjustment.old_value);
    insert.bind(4, value);
    insert.bind(5, reason);
    insert.bind(6, by);
    insert.bind(7, adjustment.at_ms);
    insert.exec();
    transaction.commit();
    return adjustment;
}

std::vector<FlowAdjustment> DistributionStore::flow_adjustments() {
    std::vector<FlowAdjustment> all;
    SQLite::Statement query(db_,
                            "SELECT f.flow_id, a.field, a.old_value, a.new_value, a.reason, a.by, "
                            "a.at_ms FROM flow_adjustments a JOIN flows f ON f.id = a.flow "
                            "ORDER BY a.id");
    while (query.executeStep())
        all.push_back({query.getColumn(0).getString(), query.getColumn(1).getString(),
                       query.getColumn(2).getString(), query.getColumn(3).getString(),
                       query.getColumn(4).getString(), query.getColumn(5).getString(),
                       query.getColumn(6).getInt64()});
    return all;
}

}  // namespace fieldflow::store
