#include "store/retention.h"

#include "store/fix_seal.h"

#include <algorithm>
#include <string>
#include <vector>

namespace fieldflow::store {

Retention::Retention(sql::Database& db) : db_(db), audit_(db) {
    // SQLite leaves what a change replaced in the file's free space until
    // the space is used again; this connection's changes overwrite it with
    // zeros. (PostgreSQL keeps old row versions until VACUUM reclaims them:
    // docs/operations.md.)
    if (db_.backend() == sql::Backend::sqlite) db_.exec("PRAGMA secure_delete = ON");
}

std::size_t Retention::drop_fixes(std::int64_t captured_before_ms, const DistanceOf& distance_of,
                                  std::size_t most, const std::string& why) {
    return drop_fixes_in(Audited::record, "records", captured_before_ms, distance_of, most, why) +
           drop_fixes_in(Audited::quarantined, "quarantine", captured_before_ms, distance_of, most,
                         why);
}

std::size_t Retention::drop_fixes_in(Audited audited, const std::string& table,
                                     std::int64_t captured_before_ms, const DistanceOf& distance_of,
                                     std::size_t most, const std::string& why) {
    sql::Transaction write(db_, sql::TransactionKind::write);
    sql::Statement due(db_, "SELECT id, raw, fix_at FROM " + table +
                                " WHERE fix_nonce IS NOT NULL AND captured_at_ms < ?1 "
                                "ORDER BY captured_at_ms, id LIMIT ?2");
    due.bind(1, captured_before_ms);
    due.bind(2, static_cast<std::int64_t>(most));
    struct Due {
        std::int64_t id;
        std::vector<std::byte> raw;
        std::int64_t fix_at;
    };
    std::vector<Due> rows;
    while (due.step()) {
        auto raw = due.blob(1);
        rows.push_back({due.int64(0), {raw.begin(), raw.end()}, due.int64(2)});
    }
    due.reset();
    if (rows.empty()) return 0;
    // The row is updated by its id: the audit log vouches for the envelope
    // with the fix blanked, which this leaves as it was.
    sql::Statement drop(db_, "UPDATE " + table +
                                 " SET raw = ?2, fix_nonce = NULL, fix_distance_m = ?3 "
                                 "WHERE id = ?1");
    std::vector<AuditLog::Redacted> redacted;
    for (auto& row : rows) {
        auto distance = distance_of(row.raw);
        auto fix = fix_in(row.raw, row.fix_at);
        // A fix_at the gateway wrote always lies inside its envelope; the
        // row is left for verify() to name if not.
        if (fix.empty()) continue;
        std::ranges::copy(blank_fix(), row.raw.begin() + row.fix_at);
        drop.reset();
        drop.bind(1, row.id).bind_blob(2, row.raw);
        if (distance)
            drop.bind(3, *distance);
        else
            drop.bind_null(3);
        drop.exec();
        redacted.push_back({row.id, distance});
    }
    if (!redacted.empty()) audit_.append_redaction(audited, redacted, "gateway", why);
    write.commit();
    return redacted.size();
}

std::size_t Retention::drop_photos(std::int64_t captured_before_ms, std::size_t most,
                                   const std::string& why) {
    sql::Transaction write(db_, sql::TransactionKind::write);
    sql::Statement due(db_,
                       "SELECT p.sha256 FROM photos p JOIN photo_uses u ON u.sha256 = p.sha256 "
                       "GROUP BY p.sha256 HAVING MAX(u.captured_at_ms) < ?1 "
                       "ORDER BY MAX(u.captured_at_ms), p.sha256 LIMIT ?2");
    due.bind(1, captured_before_ms);
    due.bind(2, static_cast<std::int64_t>(most));
    std::vector<std::string> gone;
    while (due.step()) gone.push_back(due.text(0));
    due.reset();
    sql::Statement drop(db_, "DELETE FROM photos WHERE sha256 = ?1");
    std::string detail = why + ":";
    for (const auto& sha : gone) {
        drop.reset();
        drop.bind(1, sha).exec();
        detail += " " + sha;
    }
    sql::Statement pieces(db_, "DELETE FROM photo_chunks WHERE received_at_ms < ?1");
    pieces.bind(1, captured_before_ms).exec();
    if (!gone.empty())
        audit_.append(Audited::personal_data, 0, "gateway", "photos deleted", detail);
    write.commit();
    return gone.size();
}

void Retention::erase_old_copies() {
    if (db_.backend() == sql::Backend::sqlite) db_.exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

}  // namespace fieldflow::store
