#include "store/photo_store.h"

#include <ctime>
#include <tuple>

namespace fieldflow::store {

namespace {

constexpr const char* schema = R"sql(
CREATE TABLE IF NOT EXISTS photos (
  sha256 TEXT NOT NULL PRIMARY KEY, content_type TEXT NOT NULL, size INTEGER NOT NULL,
  bytes BLOB NOT NULL, device TEXT NOT NULL, received_at_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS photo_chunks (
  sha256 TEXT NOT NULL, byte_offset INTEGER NOT NULL, total_bytes INTEGER NOT NULL,
  bytes BLOB NOT NULL, device TEXT NOT NULL, received_at_ms INTEGER NOT NULL,
  PRIMARY KEY (sha256, byte_offset));
CREATE TABLE IF NOT EXISTS photo_uses (
  device TEXT NOT NULL, seq INTEGER NOT NULL, sha256 TEXT NOT NULL, terminal TEXT NOT NULL,
  captured_at_ms INTEGER NOT NULL, PRIMARY KEY (device, seq));
CREATE INDEX IF NOT EXISTS photo_uses_by_photo ON photo_uses(sha256);
)sql";

std::string utc_minute(std::int64_t ms) {
    std::time_t seconds = ms / 1000;
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &tm);
    return text;
}

}  // namespace

PhotoStore::PhotoStore(sql::Database& db, Tables tables) : db_(db) {
    if (tables == Tables::existing) return;
    // In a writer's transaction: two connections creating the tables at
    // once would collide on PostgreSQL.
    sql::Transaction create(db_, sql::TransactionKind::write);
    db_.exec(schema);
    create.commit();
}

bool PhotoStore::has(const std::string& sha256) {
    sql::Statement q(db_, "SELECT 1 FROM photos WHERE sha256 = ?1");
    q.bind(1, sha256);
    return q.step();
}

std::optional<StoredPhoto> PhotoStore::photo(const std::string& sha256) {
    sql::Statement q(db_, "SELECT content_type, bytes FROM photos WHERE sha256 = ?1");
    q.bind(1, sha256);
    if (!q.step()) return std::nullopt;
    auto blob = q.blob(1);
    return StoredPhoto{q.text(0), std::vector<std::byte>(blob.begin(), blob.end())};
}

std::uint64_t PhotoStore::held(const std::string& sha256, std::uint64_t total_bytes) {
    sql::Statement q(db_,
                     "SELECT coalesce(sum(length(bytes)), 0), count(*), "
                     "coalesce(min(total_bytes), 0), coalesce(max(total_bytes), 0) "
                     "FROM photo_chunks WHERE sha256 = ?1");
    q.bind(1, sha256);
    q.step();
    auto held = static_cast<std::uint64_t>(q.int64(0));
    bool any = q.int64(1) > 0;
    bool same_total = static_cast<std::uint64_t>(q.int64(2)) == total_bytes &&
                      static_cast<std::uint64_t>(q.int64(3)) == total_bytes;
    q.reset();
    if (any && !same_total) {
        drop_chunks(sha256);
        return 0;
    }
    return held;
}

void PhotoStore::add_chunk(const std::string& sha256, std::uint64_t offset,
                           std::span<const std::byte> bytes, std::uint64_t total_bytes,
                           const std::string& device, std::int64_t at_ms) {
    sql::Statement put(db_,
                       "INSERT INTO photo_chunks (sha256, byte_offset, total_bytes, bytes, device, "
                       "received_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    put.bind(1, sha256)
        .bind(2, static_cast<std::int64_t>(offset))
        .bind(3, static_cast<std::int64_t>(total_bytes))
        .bind_blob(4, bytes)
        .bind(5, device)
        .bind(6, at_ms);
    put.exec();
}

std::vector<std::byte> PhotoStore::assembled(const std::string& sha256) {
    sql::Statement q(db_, "SELECT bytes FROM photo_chunks WHERE sha256 = ?1 ORDER BY byte_offset");
    q.bind(1, sha256);
    std::vector<std::byte> out;
    while (q.step()) {
        auto blob = q.blob(0);
        out.insert(out.end(), blob.begin(), blob.end());
    }
    return out;
}

void PhotoStore::drop_chunks(const std::string& sha256) {
    sql::Statement drop(db_, "DELETE FROM photo_chunks WHERE sha256 = ?1");
    drop.bind(1, sha256);
    drop.exec();
}

void PhotoStore::put(const std::string& sha256, const std::string& content_type,
                     std::span<const std::byte> bytes, const std::string& device,
                     std::int64_t at_ms) {
    sql::Statement put(db_,
                       "INSERT INTO photos (sha256, content_type, size, bytes, device, "
                       "received_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                       "ON CONFLICT (sha256) DO NOTHING");
    put.bind(1, sha256)
        .bind(2, content_type)
        .bind(3, static_cast<std::int64_t>(bytes.size()))
        .bind_blob(4, bytes)
        .bind(5, device)
        .bind(6, at_ms);
    put.exec();
}

PhotoStore::Uses PhotoStore::uses_of(const std::vector<std::string>& sha256s) {
    Uses found;
    for (const auto& sha256 : sha256s) found.try_emplace(sha256);
    if (found.empty()) return found;
    std::string sql =
        "SELECT sha256, device, seq, terminal, captured_at_ms FROM photo_uses WHERE sha256 IN (";
    for (std::size_t i = 0; i < found.size(); ++i) sql += i ? ", ?" : "?";
    sql::Statement q(db_, sql + ")");
    int index = 0;
    for (const auto& entry : found) q.bind(++index, entry.first);
    while (q.step())
        found[q.text(0)].push_back(
            Use{q.text(1), static_cast<std::uint64_t>(q.int64(2)), q.text(3), q.int64(4)});
    return found;
}

std::optional<std::string> PhotoStore::earlier_use(const std::vector<Use>& uses,
                                                   const std::string& device, std::uint64_t seq) {
    const Use* first = nullptr;
    for (const auto& use : uses) {
        if (use.device == device && use.seq == seq) continue;
        if (!first || std::tie(use.captured_at_ms, use.device, use.seq) <
                          std::tie(first->captured_at_ms, first->device, first->seq))
            first = &use;
    }
    if (!first) return std::nullopt;
    return "record " + std::to_string(first->seq) + " of device " + first->device +
           " at terminal " + first->terminal + ", captured " + utc_minute(first->captured_at_ms);
}

void PhotoStore::note_use(const std::string& sha256, const Use& use) {
    sql::Statement put(db_,
                       "INSERT INTO photo_uses (device, seq, sha256, terminal, captured_at_ms) "
                       "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (device, seq) DO NOTHING");
    put.bind(1, use.device)
        .bind(2, static_cast<std::int64_t>(use.seq))
        .bind(3, sha256)
        .bind(4, use.terminal)
        .bind(5, use.captured_at_ms);
    put.exec();
}

}  // namespace fieldflow::store
