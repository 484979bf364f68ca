#include "store/review_queue.h"

namespace fieldflow::store {

namespace {

// One query for listings and lookups; `where` adds conditions on r
// (records) and v (reviews), and the limit is parameter `limit`.
std::string select_flagged(const std::string& where, int limit) {
    return "SELECT r.id, r.device, r.seq, r.rep, r.kind, r.captured_at_ms, r.received_at_ms, "
           "r.raw, v.decision, v.comment, v.by, v.at_ms, r.fix_at IS NOT NULL AND r.fix_nonce IS "
           "NULL, "
           "r.fix_distance_m FROM records r "
           "LEFT JOIN reviews v ON v.record_id = r.id WHERE r.verdict = 'flagged'" +
           where + " ORDER BY r.id DESC LIMIT ?" + std::to_string(limit);
}

FlaggedRecord read_row(sql::Database& db, sql::Statement& row) {
    FlaggedRecord record;
    record.id = row.int64(0);
    record.device = row.text(1);
    record.seq = static_cast<std::uint64_t>(row.int64(2));
    record.rep = row.text(3);
    record.kind = row.text(4);
    record.captured_at_ms = row.int64(5);
    record.received_at_ms = row.int64(6);
    auto raw = row.blob(7);
    record.raw.assign(raw.begin(), raw.end());
    if (row.int64(12) != 0) {
        record.fix_dropped = true;
        if (!row.is_null(13)) record.kept_distance_m = row.int64(13);
    }
    if (!row.is_null(8))
        record.review = Review{decision_named(row.text(8)).value_or(Decision::reject), row.text(9),
                               row.text(10), row.int64(11)};
    sql::Statement reasons(db,
                           "SELECT code, detail FROM record_reasons WHERE record_id = ?1 "
                           "ORDER BY rowid");
    reasons.bind(1, record.id);
    while (reasons.step()) {
        auto code = core::reason_from_name(reasons.text(0));
        if (code) record.reasons.push_back({*code, reasons.text(1)});
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

void ReviewQueue::ensure_schema(sql::Database& db) {
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
    // Parameters are numbered as the conditions come: PostgreSQL wants no gaps.
    int parameters = 0;
    auto parameter = [&] { return "?" + std::to_string(++parameters); };
    if (!filter.reason.empty())
        where +=
            " AND EXISTS (SELECT 1 FROM record_reasons x WHERE x.record_id = r.id "
            "AND x.code = " +
            parameter() + ")";
    if (!filter.rep.empty()) where += " AND r.rep = " + parameter();
    if (!filter.device.empty()) where += " AND r.device = " + parameter();
    if (filter.before_id > 0) where += " AND r.id < " + parameter();
    sql::Statement query(db_, select_flagged(where, parameters + 1));
    int next = 0;
    if (!filter.reason.empty()) query.bind(++next, filter.reason);
    if (!filter.rep.empty()) query.bind(++next, filter.rep);
    if (!filter.device.empty()) query.bind(++next, filter.device);
    if (filter.before_id > 0) query.bind(++next, filter.before_id);
    query.bind(++next, static_cast<std::int64_t>(limit));
    std::vector<FlaggedRecord> records;
    while (query.step()) records.push_back(read_row(db_, query));
    return records;
}

std::optional<FlaggedRecord> ReviewQueue::find(std::int64_t id) {
    sql::Statement query(db_, select_flagged(" AND r.id = ?1", 2));
    query.bind(1, id);
    query.bind(2, 1);
    if (!query.step()) return std::nullopt;
    return read_row(db_, query);
}

ReviewQueue::Decided ReviewQueue::decide(std::int64_t record, Decision decision,
                                         const std::string& comment, const std::string& by,
                                         std::int64_t at_ms) {
    sql::Transaction transaction(db_, sql::TransactionKind::write);
    sql::Statement flagged(
        db_, "SELECT EXISTS (SELECT 1 FROM records WHERE id = ?1 AND verdict = 'flagged')");
    flagged.bind(1, record);
    flagged.step();
    if (!flagged.int64(0)) return Decided::not_flagged;
    sql::Statement put(
        db_,
        "INSERT INTO reviews (record_id, decision, comment, by, at_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (record_id) DO NOTHING RETURNING id");
    put.bind(1, record);
    put.bind(2, std::string(name(decision)));
    put.bind(3, comment);
    put.bind(4, by);
    put.bind(5, at_ms);
    auto id = put.returning_id();
    if (!id) return Decided::already_decided;
    audit_.append(Audited::review, *id, by,
                  decision == Decision::approve ? "flag approved" : "flag rejected",
                  "record " + std::to_string(record));
    transaction.commit();
    return Decided::done;
}

}  // namespace fieldflow::store
