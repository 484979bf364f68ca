#include "store/review_queue.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

namespace fieldflow::store {

namespace {

// One query for listings and lookups; `where` adds conditions on r (records) and v (reviews).
std::string select_flagged(const std::string& where) {
    return "SELECT r.id, r.device, r.seq, r.rep, r.kind, r.captured_at_ms, r.received_at_ms, "
           "r.raw, v.decision, v.comment, v.by, v.at_ms FROM records r "
           "LEFT JOIN reviews v ON v.record_id = r.id WHERE r.verdict = 'flagged'" +
           where + " ORDER BY r.id DESC LIMIT ?9";
}

FlaggedRecord read_row(SQLite::Database& db, SQLite::Statement& row) {
    FlaggedRecord record;
    record.id = row.getColumn(0).getInt64();
    record.device = row.getColumn(1).getString();
    record.seq = static_cast<std::uint64_t>(row.getColumn(2).getInt64());
    record.rep = row.getColumn(3).getString();
    record.kind = row.getColumn(4).getString();
    record.captured_at_ms = row.getColumn(5).getInt64();
    record.received_at_ms = row.getColumn(6).getInt64();
    auto raw = row.getColumn(7);
    auto* bytes = static_cast<const std::byte*>(raw.getBlob());
    record.raw.assign(bytes, bytes + raw.getBytes());
    if (!row.getColumn(8).isNull())
        record.review =
            Review{decision_named(row.getColumn(8).getString()).value_or(Decision::reject),
                   row.getColumn(9).getString(), row.getColumn(10).getString(),
                   row.getColumn(11).getInt64()};
    SQLite::Statement reasons(db,
                              "SELECT code, detail FROM record_reasons WHERE record_id = ?1 "
                              "ORDER BY rowid");
    reasons.bind(1, record.id);
    while (reasons.executeStep()) {
        auto code = core::reason_from_name(reasons.getColumn(0).getString());
        if (code) record.reasons.push_back({*code, reasons.getColumn(1).getString()});
    }
    return record;
}

}  // namespace

std::string_view name(Decision decision) {
    return decision == Decision::approve ? "approve" : "reject";
}

std::optional<Decision> decision_named(std::string_view text) {
    if (text == "approve") return Decision::approve;
    if (text == "reject") return Decision::reject;
    return std::nullopt;
}

void ReviewQueue::ensure_schema(SQLite::Database& db) {
    db.exec(R"sql(
CREATE TABLE IF NOT EXISTS reviews (
  id INTEGER PRIMARY KEY,
  record_id INTEGER NOT NULL UNIQUE REFERENCES records(id),
  decision TEXT NOT NULL CHECK (decision IN ('approve','reject')),
  comment TEXT NOT NULL, by TEXT NOT NULL, at_ms INTEGER NOT NULL);
)sql");
}

std::vector<FlaggedRecord> ReviewQueue::flagged(const ReviewFilter& filter, std::size_t limit) {
    std::string where;
    if (filter.state == ReviewFilter::State::open) where += " AND v.id IS NULL";
    if (filter.state == ReviewFilter::State::decided) where += " AND v.id IS NOT NULL";
    if (!filter.reason.empty())
        where +=
            " AND EXISTS (SELECT 1 FROM record_reasons x WHERE x.record_id = r.id "
            "AND x.code = ?1)";
    if (!filter.rep.empty()) where += " AND r.rep = ?2";
    if (!filter.device.empty()) where += " AND r.device = ?3";
    if (filter.before_id > 0) where += " AND r.id < ?4";
    SQLite::Statement query(db_, select_flagged(where));
    if (!filter.reason.empty()) query.bind(1, filter.reason);
    if (!filter.rep.empty()) query.bind(2, filter.rep);
    if (!filter.device.empty()) query.bind(3, filter.device);
    if (filter.before_id > 0) query.bind(4, filter.before_id);
    query.bind(9, static_cast<std::int64_t>(limit));
    std::vector<FlaggedRecord> records;
    while (query.executeStep()) records.push_back(read_row(db_, query));
    return records;
}

std::optional<FlaggedRecord> ReviewQueue::find(std::int64_t id) {
    SQLite::Statement query(db_, select_flagged(" AND r.id = ?1"));
    query.bind(1, id);
    query.bind(9, 1);
    if (!query.executeStep()) return std::nullopt;
    return read_row(db_, query);
}

ReviewQueue::Decided ReviewQueue::decide(std::int64_t record, Decision decision,
                                         const std::string& comment, const std::string& by,
                                         std::int64_t at_ms) {
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement flagged(
        db_, "SELECT EXISTS (SELECT 1 FROM records WHERE id = ?1 AND verdict = 'flagged')");
    flagged.bind(1, record);
    flagged.executeStep();
    if (!flagged.getColumn(0).getInt()) return Decided::not_flagged;
    SQLite::Statement put(db_,
                          "INSERT INTO reviews (record_id, decision, comment, by, at_ms) "
                          "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (record_id) DO NOTHING");
    put.bind(1, record);
    put.bind(2, std::string(name(decision)));
    put.bind(3, comment);
    put.bind(4, by);
    put.bind(5, at_ms);
    if (put.exec() == 0) return Decided::already_decided;
    audit_.append(Audited::review, db_.getLastInsertRowid(), by,
                  decision == Decision::approve ? "flag approved" : "flag rejected",
                  "record " + std::to_string(record));
    transaction.commit();
    return Decided::done;
}

}  // namespace fieldflow::store
