#include "store/distribution_store.h"

#include <chrono>
#include <stdexcept>

#include "core/clock.h"
#include "store/audit_log.h"
#include "store/book_schema.h"
#include "store/book_writer.h"

namespace fieldflow::store {

DistributionStore::DistributionStore(const std::string& location)
    : db_(sql::Database::open(location)) {
    // Imports grow indexes of millions of keys: keep their pages in memory
    // (up to 256 MiB, taken only as needed).
    if (db_->backend() == sql::Backend::sqlite) db_->exec("PRAGMA cache_size = -262144");
    ensure_book_schema(*db_);
}

DistributionStore::~DistributionStore() = default;

std::optional<PriorImport> DistributionStore::imported_before(core::ImportKind kind,
                                                              const std::string& digest) {
    sql::Statement query(*db_,
                         "SELECT file, imported_at_ms FROM book_sources "
                         "WHERE kind = ?1 AND digest = ?2 AND rows_bad = 0");
    query.bind(1, std::string(core::name(kind)));
    query.bind(2, digest);
    if (!query.step()) return std::nullopt;
    return PriorImport{query.text(0), query.int64(1)};
}

// ---------------------------------------------------------------- import

struct DistributionStore::Import::State {
    State(sql::Database& database, AuditLog& log)
        : db(database), audit(log), transaction(db, sql::TransactionKind::write), writer(db, log) {}

    template <class Row>
    void add(const Row& row) {
        core::LoadError refusal;
        switch (writer.add(row, source, refusal)) {
            case Written::stored:
                ++summary.stored;
                break;
            case Written::late:
                ++summary.stored;
                ++summary.late;
                break;
            case Written::unchanged:
                ++summary.unchanged;
                break;
            case Written::conflicting:
                ++summary.conflicting;
                break;
            case Written::refused:
                refusal.file = file;
                refusal.line = row.line;
                errors->push_back(std::move(refusal));
                break;
        }
    }

    sql::Database& db;
    AuditLog& audit;
    sql::Transaction transaction;
    BookWriter writer;
    std::string file;
    std::int64_t source = 0;
    std::string by;
    BookRowMarks marks;
    std::vector<core::LoadError>* errors = nullptr;
    ImportSummary summary;
};

DistributionStore::Import::Import(DistributionStore& store, core::ImportKind kind,
                                  const std::string& file, const std::string& digest,
                                  const std::string& by)
    : state_(std::make_unique<State>(*store.db_, store.audit_)) {
    state_->file = file;
    state_->by = by;
    state_->errors = &errors_;
    state_->marks = store.audit_.book_row_marks();
    state_->source = state_->writer.new_source(kind, file, digest, core::unix_now_ms());
}

DistributionStore::Import::~Import() = default;

core::RowHandlers DistributionStore::Import::handlers() {
    State& s = *state_;
    return {[&s](const core::ShipmentRow& row) { s.add(row); },
            [&s](const core::FlowRow& row) { s.add(row); },
            [&s](const core::StockRow& row) { s.add(row); },
            [&s](const core::OpeningRow& row) { s.add(row); }};
}

const ImportSummary& DistributionStore::Import::summary() const {
    return state_->summary;
}

ImportSummary DistributionStore::Import::commit(std::uint64_t bad_rows) {
    State& s = *state_;
    sql::Statement update(s.db,
                          "UPDATE book_sources SET rows_stored = ?2, rows_unchanged = ?3, "
                          "rows_conflicting = ?4, rows_late = ?5, rows_bad = ?6 WHERE id = ?1");
    update.bind(1, s.source);
    update.bind(2, static_cast<std::int64_t>(s.summary.stored));
    update.bind(3, static_cast<std::int64_t>(s.summary.unchanged));
    update.bind(4, static_cast<std::int64_t>(s.summary.conflicting));
    update.bind(5, static_cast<std::int64_t>(s.summary.late));
    update.bind(6, static_cast<std::int64_t>(bad_rows));
    update.exec();
    s.audit.append(Audited::import, s.source, s.by, "file imported");
    s.audit.append_import_rows(s.source, s.marks, s.by);
    s.transaction.commit();
    return s.summary;
}

std::unique_ptr<DistributionStore::Import> DistributionStore::begin_import(
    core::ImportKind kind, const std::string& file, const std::string& digest,
    const std::string& by) {
    return std::unique_ptr<Import>(new Import(*this, kind, file, digest, by));
}

// ---------------------------------------------------------------- reading

core::DistributionBook DistributionStore::load() {
    return load_book(*db_);
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
    sql::Statement query(*db_, sql);
    query.bind(1, row);
    return query.step() ? query.text(0) : std::to_string(row);
}

// ---------------------------------------------------------------- periods

namespace {
// The new row's id.
std::int64_t log_period(sql::Database& db, const std::string& period, const char* action,
                        const std::string& reason, const std::string& by) {
    sql::Statement log(db,
                       "INSERT INTO period_log (period, action, reason, by, at_ms) "
                       "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id");
    log.bind(1, period);
    log.bind(2, action);
    log.bind(3, reason);
    log.bind(4, by);
    log.bind(5, core::unix_now_ms());
    return log.returning_id().value();
}
}  // namespace

bool DistributionStore::close_period(core::Period period, const std::string& by,
                                     const std::string& reason) {
    sql::Transaction transaction(*db_, sql::TransactionKind::write);
    std::string text = core::format_period(period);
    sql::Statement close(*db_,
                         "INSERT INTO closed_periods (period, closed_at_ms, closed_by) "
                         "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING");
    close.bind(1, text);
    close.bind(2, core::unix_now_ms());
    close.bind(3, by);
    if (close.exec() == 0) return false;
    auto logged = log_period(*db_, text, "close", reason, by);
    audit_.append(Audited::period_change, logged, by, "period closed");
    audit_.append_state(Kept::closed_periods, text, by, "period closed", text);
    transaction.commit();
    return true;
}

bool DistributionStore::reopen_period(core::Period period, const std::string& reason,
                                      const std::string& by) {
    sql::Transaction transaction(*db_, sql::TransactionKind::write);
    std::string text = core::format_period(period);
    sql::Statement reopen(*db_, "DELETE FROM closed_periods WHERE period = ?1");
    reopen.bind(1, text);
    if (reopen.exec() == 0) return false;
    auto logged = log_period(*db_, text, "reopen", reason, by);
    audit_.append(Audited::period_change, logged, by, "period reopened");
    audit_.append_state(Kept::closed_periods, text, by, "period reopened", text);
    transaction.commit();
    return true;
}

std::vector<PeriodEvent> DistributionStore::period_log() {
    std::vector<PeriodEvent> events;
    sql::Statement query(*db_,
                         "SELECT period, action, reason, by, at_ms FROM period_log ORDER BY id");
    while (query.step())
        events.push_back(
            {query.text(0), query.text(1), query.text(2), query.text(3), query.int64(4)});
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

    sql::Transaction transaction(*db_, sql::TransactionKind::write);
    sql::Statement find(*db_,
                        "SELECT f.id, f.qty, f.day, b.text, l.text FROM flows f "
                        "LEFT JOIN book_names b ON b.id = f.buyer "
                        "LEFT JOIN book_names l ON l.id = f.lot WHERE f.flow_id = ?1");
    find.bind(1, flow_id);
    if (!find.step()) throw std::invalid_argument("no flow " + flow_id);
    std::int64_t row = find.int64(0);
    std::string original = field == "qty"     ? std::to_string(find.int64(1))
                           : field == "date"  ? core::format_date(find.int64(2))
                           : field == "buyer" ? find.text(3)
                                              : find.text(4);
    // The value in force is the latest adjustment's, if any.
    sql::Statement latest(*db_,
                          "SELECT new_value FROM flow_adjustments WHERE flow = ?1 AND "
                          "field = ?2 ORDER BY id DESC LIMIT 1");
    latest.bind(1, row);
    latest.bind(2, field);
    if (latest.step()) original = latest.text(0);

    FlowAdjustment adjustment{flow_id, field, original, value, reason, by, core::unix_now_ms()};
    sql::Statement insert(*db_,
                          "INSERT INTO flow_adjustments (flow, field, old_value, new_value, "
                          "reason, by, at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id");
    insert.bind(1, row);
    insert.bind(2, field);
    insert.bind(3, adjustment.old_value);
    insert.bind(4, value);
    insert.bind(5, reason);
    insert.bind(6, by);
    insert.bind(7, adjustment.at_ms);
    auto id = insert.returning_id().value();
    audit_.append(Audited::flow_adjustment, id, by, "flow adjusted");
    transaction.commit();
    return adjustment;
}

std::vector<FlowAdjustment> DistributionStore::flow_adjustments() {
    std::vector<FlowAdjustment> all;
    sql::Statement query(*db_,
                         "SELECT f.flow_id, a.field, a.old_value, a.new_value, a.reason, a.by, "
                         "a.at_ms FROM flow_adjustments a JOIN flows f ON f.id = a.flow "
                         "ORDER BY a.id");
    while (query.step())
        all.push_back({query.text(0), query.text(1), query.text(2), query.text(3), query.text(4),
                       query.text(5), query.int64(6)});
    return all;
}

std::vector<FlowArrival> flow_arrivals(sql::Database& db) {
    sql::Statement query(db,
                         "SELECT n.text, max(s.imported_at_ms) FROM "
                         "(SELECT DISTINCT seller, source FROM flows) f "
                         "JOIN book_sources s ON s.id = f.source "
                         "JOIN book_names n ON n.id = f.seller GROUP BY n.id, n.text");
    std::vector<FlowArrival> arrivals;
    while (query.step()) arrivals.push_back({query.text(0), query.int64(1)});
    return arrivals;
}

}  // namespace fieldflow::store
