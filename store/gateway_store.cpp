#include "store/gateway_store.h"

#include "store/book_schema.h"

#include <SQLiteCpp/Statement.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>

namespace fieldflow::store {

namespace {

constexpr int schema_version = 4;

constexpr const char* schema = R"sql(
CREATE TABLE IF NOT EXISTS records (
  id INTEGER PRIMARY KEY,
  device TEXT NOT NULL, seq INTEGER NOT NULL, rep TEXT NOT NULL, kind TEXT NOT NULL,
  captured_at_ms INTEGER NOT NULL, received_at_ms INTEGER NOT NULL,
  verdict TEXT NOT NULL CHECK (verdict IN ('accepted','flagged')),
  raw BLOB NOT NULL,
  UNIQUE (device, seq));
CREATE TABLE IF NOT EXISTS record_reasons (
  record_id INTEGER NOT NULL REFERENCES records(id),
  code TEXT NOT NULL, detail TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS record_reasons_by_record ON record_reasons(record_id);
CREATE TABLE IF NOT EXISTS quarantine (
  id INTEGER PRIMARY KEY,
  sender TEXT NOT NULL,
  device TEXT, seq INTEGER, rep TEXT, kind TEXT, captured_at_ms INTEGER,
  received_at_ms INTEGER NOT NULL,
  raw BLOB NOT NULL, digest BLOB NOT NULL,
  UNIQUE (sender, digest));
CREATE INDEX IF NOT EXISTS quarantine_by_record ON quarantine(device, seq);
CREATE TABLE IF NOT EXISTS quarantine_reasons (
  quarantine_id INTEGER NOT NULL REFERENCES quarantine(id),
  code TEXT NOT NULL, detail TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS quarantine_reasons_by_row ON quarantine_reasons(quarantine_id);
CREATE TABLE IF NOT EXISTS open_visits (
  device TEXT PRIMARY KEY, terminal TEXT NOT NULL, check_in_seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS devices (
  device TEXT PRIMARY KEY, rep TEXT, agent_version TEXT, outbox_depth INTEGER, last_seen_ms INTEGER);
CREATE TABLE IF NOT EXISTS device_credentials (
  device TEXT PRIMARY KEY, rep TEXT NOT NULL, token_sha256 BLOB NOT NULL,
  enrolled_at_ms INTEGER NOT NULL, revoked_at_ms INTEGER);
CREATE TABLE IF NOT EXISTS auth_log (
  id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, device TEXT NOT NULL, peer TEXT NOT NULL,
  event TEXT NOT NULL, detail TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pack_sightings (
  identity TEXT PRIMARY KEY, terminal TEXT NOT NULL, device TEXT NOT NULL, seq INTEGER NOT NULL);
)sql";

std::array<unsigned char, 32> sha256(std::span<const std::byte> bytes) {
    std::array<unsigned char, 32> digest{};
    unsigned int size = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 failed");
    return digest;
}

bool same_bytes(const SQLite::Column& column, std::span<const std::byte> raw) {
    return static_cast<std::size_t>(column.getBytes()) == raw.size() &&
           (raw.empty() || std::memcmp(column.getBlob(), raw.data(), raw.size()) == 0);
}

core::Outcome outcome_named(const std::string& text) {
    if (text == "accepted") return core::Outcome::accepted;
    if (text == "flagged") return core::Outcome::flagged;
    return core::Outcome::rejected;
}

// Reason codes are stored by name; a name this build does not know (written
// by a newer gateway) is kept in the detail rather than lost.
core::Reason reason_from_row(const std::string& code, std::string detail) {
    if (auto known = core::reason_from_name(code)) return {*known, std::move(detail)};
    return {core::ReasonCode::malformed_record, code + ": " + detail};
}

void bind_blob(SQLite::Statement& statement, int index, std::span<const std::byte> bytes) {
    statement.bind(index, bytes.data(), static_cast<int>(bytes.size()));
}

// A store from before the audit log: its rows enter the log as they are,
// so that later changes to them are caught.
void adopt_into_audit_log(SQLite::Database& db, AuditLog& audit) {
    for (auto [table, audited] :
         {std::pair{"records", Audited::record}, std::pair{"quarantine", Audited::quarantined}}) {
        SQLite::Statement rows(db, std::string("SELECT id FROM ") + table + " ORDER BY id");
        while (rows.executeStep())
            audit.append(audited, rows.getColumn(0).getInt64(), "gateway", "adopted at upgrade");
    }
}

}  // namespace

struct GatewayStore::Statements {
    explicit Statements(SQLite::Database& db)
        : find_record(db, "SELECT id, verdict, raw FROM records WHERE device = ?1 AND seq = ?2"),
          find_quarantined(
              db,
              "SELECT id, raw FROM quarantine WHERE device = ?1 AND seq = ?2 AND sender = ?1 "
              "ORDER BY id LIMIT 1"),
          find_digest(db, "SELECT id FROM quarantine WHERE sender = ?1 AND digest = ?2"),
          record_reasons(
              db, "SELECT code, detail FROM record_reasons WHERE record_id = ?1 ORDER BY rowid"),
          quarantine_reasons(db,
                             "SELECT code, detail FROM quarantine_reasons WHERE quarantine_id = ?1 "
                             "ORDER BY rowid"),
          insert_record(
              db,
              "INSERT INTO records (device, seq, rep, kind, captured_at_ms, received_at_ms, "
              "verdict, raw) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
          insert_record_reason(
              db, "INSERT INTO record_reasons (record_id, code, detail) VALUES (?1, ?2, ?3)"),
          insert_quarantine(
              db,
              "INSERT INTO quarantine (sender, device, seq, rep, kind, captured_at_ms, "
              "received_at_ms, raw, digest) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
          insert_quarantine_reason(
              db,
              "INSERT INTO quarantine_reasons (quarantine_id, code, detail) VALUES (?1, ?2, ?3)"),
          get_open_visit(db, "SELECT terminal, check_in_seq FROM open_visits WHERE device = ?1"),
          put_open_visit(
              db,
              "INSERT INTO open_visits (device, terminal, check_in_seq) VALUES (?1, ?2, ?3) "
              "ON CONFLICT (device) DO UPDATE SET terminal = excluded.terminal, "
              "check_in_seq = excluded.check_in_seq"),
          drop_open_visit(db, "DELETE FROM open_visits WHERE device = ?1"),
          get_pack(db, "SELECT terminal FROM pack_sightings WHERE identity = ?1"),
          put_pack(db,
                   "INSERT OR IGNORE INTO pack_sightings (identity, terminal, device, seq) "
                   "VALUES (?1, ?2, ?3, ?4)"),
          get_credential(db,
                         "SELECT rep, token_sha256, enrolled_at_ms, revoked_at_ms "
                         "FROM device_credentials WHERE device = ?1") {}

    SQLite::Statement find_record, find_quarantined, find_digest;
    SQLite::Statement record_reasons, quarantine_reasons;
    SQLite::Statement insert_record, insert_record_reason;
    SQLite::Statement insert_quarantine, insert_quarantine_reason;
    SQLite::Statement get_open_visit, put_open_visit, drop_open_visit;
    SQLite::Statement get_pack, put_pack;
    SQLite::Statement get_credential;  // read for every batch of an enrolled gateway
};

namespace {
// Statements are reused across calls; this leaves each one ready for the next.
struct Reset {
    SQLite::Statement& statement;
    // Runs while an exception may be unwinding: must not throw.
    ~Reset() {
        statement.tryReset();
        statement.clearBindings();
    }
};

// `insert` takes (owner id, code, detail).
void write_reasons(SQLite::Statement& insert, std::int64_t id,
                   const std::vector<core::Reason>& reasons) {
    for (const auto& r : reasons) {
        Reset reset{insert};
        insert.bind(1, id);
        insert.bind(2, std::string(core::name(r.code)));
        insert.bind(3, r.detail);
        insert.exec();
    }
}

std::vector<core::Reason> read_reasons(SQLite::Statement& query, std::int64_t id) {
    Reset reset{query};
    query.bind(1, id);
    std::vector<core::Reason> reasons;
    while (query.executeStep())
        reasons.push_back(
            reason_from_row(query.getColumn(0).getString(), query.getColumn(1).getString()));
    return reasons;
}
}  // namespace

GatewayStore::GatewayStore(const std::string& path, Durability durability)
    : db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 10'000) {
    db_.exec("PRAGMA journal_mode = WAL");
    // FULL syncs the WAL on every commit, so an acked record survives power
    // loss; NORMAL survives a crashed process but not a crashed machine.
    db_.exec(durability == Durability::full ? "PRAGMA synchronous = FULL"
                                            : "PRAGMA synchronous = NORMAL");
    db_.exec("PRAGMA foreign_keys = ON");
    int version = db_.execAndGet("PRAGMA user_version").getInt();
    if (version > schema_version)
        throw std::runtime_error(path + " was written by a newer gateway (schema version " +
                                 std::to_string(version) + ")");
    if (version < schema_version) {
        SQLite::Transaction migrate(db_, SQLite::TransactionBehavior::IMMEDIATE);
        db_.exec(schema);
        AuditLog::ensure_schema(db_);
        if (version > 0 && version < 4) adopt_into_audit_log(db_, audit_);
        db_.exec("PRAGMA user_version = " + std::to_string(schema_version));
        migrate.commit();
    }
    ensure_book_schema(db_);
    OperatorAccounts::ensure_schema(db_);
    ReviewQueue::ensure_schema(db_);
    statements_ = std::make_unique<Statements>(db_);
}

GatewayStore::~GatewayStore() = default;

std::optional<StoredVerdict> GatewayStore::find(const std::string& device, std::uint64_t seq,
                                                std::span<const std::byte> raw) {
    auto seq_value = static_cast<std::int64_t>(seq);
    {
        auto& q = statements_->find_record;
        Reset reset{q};
        q.bind(1, device);
        q.bind(2, seq_value);
        if (q.executeStep()) {
            StoredVerdict found;
            std::int64_t id = q.getColumn(0).getInt64();
            found.outcome = outcome_named(q.getColumn(1).getString());
            found.same_bytes = same_bytes(q.getColumn(2), raw);
            found.reasons = read_reasons(statements_->record_reasons, id);
            return found;
        }
    }
    auto& q = statements_->find_quarantined;
    Reset reset{q};
    q.bind(1, device);
    q.bind(2, seq_value);
    if (!q.executeStep()) return std::nullopt;
    StoredVerdict found;
    std::int64_t id = q.getColumn(0).getInt64();
    found.outcome = core::Outcome::rejected;
    found.same_bytes = same_bytes(q.getColumn(1), raw);
    found.reasons = read_reasons(statements_->quarantine_reasons, id);
    return found;
}

std::optional<StoredVerdict> GatewayStore::find_unreadable(const std::string& sender,
                                                           std::span<const std::byte> raw) {
    auto digest = sha256(raw);
    auto& q = statements_->find_digest;
    Reset reset{q};
    q.bind(1, sender);
    q.bind(2, digest.data(), static_cast<int>(digest.size()));
    if (!q.executeStep()) return std::nullopt;
    StoredVerdict found;
    found.outcome = core::Outcome::rejected;
    found.reasons = read_reasons(statements_->quarantine_reasons, q.getColumn(0).getInt64());
    return found;
}

void GatewayStore::book(const core::Record& record, const core::Verdict& verdict,
                        std::span<const std::byte> raw, std::int64_t received_at_ms) {
    auto& insert = statements_->insert_record;
    {
        Reset reset{insert};
        insert.bind(1, record.device);
        insert.bind(2, static_cast<std::int64_t>(record.seq));
        insert.bind(3, record.rep);
        insert.bind(4, std::string(core::kind_name(record.payload)));
        insert.bind(5, record.captured_at_ms);
        insert.bind(6, received_at_ms);
        insert.bind(7, std::string(core::name(verdict.outcome())));
        bind_blob(insert, 8, raw);
        insert.exec();
    }
    auto id = db_.getLastInsertRowid();
    write_reasons(statements_->insert_record_reason, id, verdict.reasons);
    audit_.append(Audited::record, id, record.device, "record booked");
}

void GatewayStore::quarantine(const std::string& sender, const core::Record* record,
                              const core::Verdict& verdict, std::span<const std::byte> raw,
                              std::int64_t received_at_ms) {
    auto digest = sha256(raw);
    auto& insert = statements_->insert_quarantine;
    {
        Reset reset{insert};
        insert.bind(1, sender);
        if (record) {
            insert.bind(2, record->device);
            insert.bind(3, static_cast<std::int64_t>(record->seq));
            insert.bind(4, record->rep);
            insert.bind(5, std::string(core::kind_name(record->payload)));
            insert.bind(6, record->captured_at_ms);
        }
        insert.bind(7, received_at_ms);
        bind_blob(insert, 8, raw);
        insert.bind(9, digest.data(), static_cast<int>(digest.size()));
        insert.exec();
    }
    auto id = db_.getLastInsertRowid();
    write_reasons(statements_->insert_quarantine_reason, id, verdict.reasons);
    audit_.append(Audited::quarantined, id, sender, "record quarantined");
}

std::optional<core::OpenVisit> GatewayStore::open_visit(const std::string& device) {
    auto& q = statements_->get_open_visit;
    Reset reset{q};
    q.bind(1, device);
    if (!q.executeStep()) return std::nullopt;
    return core::OpenVisit{q.getColumn(0).getString(),
                           static_cast<std::uint64_t>(q.getColumn(1).getInt64())};
}

void GatewayStore::set_open_visit(const std::string& device,
                                  const std::optional<core::OpenVisit>& visit) {
    if (!visit) {
        auto& drop = statements_->drop_open_visit;
        Reset reset{drop};
        drop.bind(1, device);
        drop.exec();
        return;
    }
    auto& put = statements_->put_open_visit;
    Reset reset{put};
    put.bind(1, device);
    put.bind(2, visit->terminal);
    put.bind(3, static_cast<std::int64_t>(visit->check_in_seq));
    put.exec();
}

std::optional<std::string> GatewayStore::pack_seen_at(const std::string& identity) {
    auto& q = statements_->get_pack;
    Reset reset{q};
    q.bind(1, identity);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getString();
}

void GatewayStore::saw_pack(const std::string& identity, const std::string& terminal,
                            const std::string& device, std::uint64_t seq) {
    auto& put = statements_->put_pack;
    Reset reset{put};
    put.bind(1, identity);
    put.bind(2, terminal);
    put.bind(3, device);
    put.bind(4, static_cast<std::int64_t>(seq));
    put.exec();
}

void GatewayStore::saw_device(const DeviceHello& hello) {
    SQLite::Statement put(
        db_,
        "INSERT INTO devices (device, rep, agent_version, outbox_depth, last_seen_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (device) DO UPDATE SET "
        "rep = excluded.rep, agent_version = excluded.agent_version, "
        "outbox_depth = excluded.outbox_depth, last_seen_ms = excluded.last_seen_ms");
    put.bind(1, hello.device);
    put.bind(2, hello.rep);
    put.bind(3, hello.agent_version);
    put.bind(4, static_cast<std::int64_t>(hello.outbox_depth));
    put.bind(5, hello.seen_at_ms);
    put.exec();
}

std::vector<DeviceHello> GatewayStore::devices() {
    SQLite::Statement query(db_,
                            "SELECT device, rep, agent_version, outbox_depth, last_seen_ms "
                            "FROM devices ORDER BY device");
    std::vector<DeviceHello> devices;
    while (query.executeStep())
        devices.push_back({query.getColumn(0).getString(), query.getColumn(1).getString(),
                           query.getColumn(2).getString(),
                           static_cast<std::uint64_t>(query.getColumn(3).getInt64()),
                           query.getColumn(4).getInt64()});
    return devices;
}

void GatewayStore::enroll(const std::string& device, const std::string& rep,
                          std::span<const unsigned char> token_sha256, std::int64_t at_ms,
                          const std::string& by) {
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement put(db_,
                          "INSERT INTO device_credentials (device, rep, token_sha256, "
                          "enrolled_at_ms, revoked_at_ms) VALUES (?1, ?2, ?3, ?4, NULL) "
                          "ON CONFLICT (device) DO UPDATE SET rep = excluded.rep, "
                          "token_sha256 = excluded.token_sha256, "
                          "enrolled_at_ms = excluded.enrolled_at_ms, revoked_at_ms = NULL");
    put.bind(1, device);
    put.bind(2, rep);
    put.bind(3, token_sha256.data(), static_cast<int>(token_sha256.size()));
    put.bind(4, at_ms);
    put.exec();
    audit_.append(Audited::device_change, 0, by, "device enrolled", device + " for rep " + rep);
    transaction.commit();
}

bool GatewayStore::revoke(const std::string& device, std::int64_t at_ms, const std::string& by) {
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement put(db_,
                          "UPDATE device_credentials SET revoked_at_ms = ?2 "
                          "WHERE device = ?1 AND revoked_at_ms IS NULL");
    put.bind(1, device);
    put.bind(2, at_ms);
    if (put.exec() == 0) return false;
    audit_.append(Audited::device_change, 0, by, "device revoked", device);
    transaction.commit();
    return true;
}

std::optional<Credential> GatewayStore::credential(const std::string& device) {
    auto& get = statements_->get_credential;
    Reset reset{get};
    get.bind(1, device);
    if (!get.executeStep()) return std::nullopt;
    Credential c;
    c.device = device;
    c.rep = get.getColumn(0).getString();
    auto blob = get.getColumn(1);
    auto* bytes = static_cast<const unsigned char*>(blob.getBlob());
    c.token_sha256.assign(bytes, bytes + blob.getBytes());
    c.enrolled_at_ms = get.getColumn(2).getInt64();
    if (!get.getColumn(3).isNull()) c.revoked_at_ms = get.getColumn(3).getInt64();
    return c;
}

std::vector<Credential> GatewayStore::credentials() {
    std::vector<Credential> all;
    SQLite::Statement q(db_, "SELECT device FROM device_credentials ORDER BY device");
    while (q.executeStep())
        if (auto c = credential(q.getColumn(0).getString())) all.push_back(std::move(*c));
    return all;
}

void GatewayStore::log_auth(const std::string& device, const std::string& peer,
                            const std::string& event, const std::string& detail,
                            std::int64_t at_ms) {
    SQLite::Statement put(db_,
                          "INSERT INTO auth_log (at_ms, device, peer, event, detail) "
                          "VALUES (?1, ?2, ?3, ?4, ?5)");
    put.bind(1, at_ms);
    put.bind(2, device);
    put.bind(3, peer);
    put.bind(4, event);
    put.bind(5, detail);
    put.exec();
}

void GatewayStore::for_each_record(const std::function<void(const StoredRecord&)>& visit) {
    auto fill = [](SQLite::Statement& q, StoredRecord& r) {
        const void* blob = q.getColumn(8).getBlob();
        auto size = static_cast<std::size_t>(q.getColumn(8).getBytes());
        r.raw.assign(static_cast<const std::byte*>(blob),
                     static_cast<const std::byte*>(blob) + size);
    };
    SQLite::Statement booked(db_,
                             "SELECT id, device, seq, rep, kind, captured_at_ms, received_at_ms, "
                             "verdict, raw FROM records ORDER BY id");
    while (booked.executeStep()) {
        StoredRecord r;
        r.device = booked.getColumn(1).getString();
        r.seq = static_cast<std::uint64_t>(booked.getColumn(2).getInt64());
        r.rep = booked.getColumn(3).getString();
        r.kind = booked.getColumn(4).getString();
        r.captured_at_ms = booked.getColumn(5).getInt64();
        r.received_at_ms = booked.getColumn(6).getInt64();
        r.outcome = outcome_named(booked.getColumn(7).getString());
        fill(booked, r);
        r.reasons = read_reasons(statements_->record_reasons, booked.getColumn(0).getInt64());
        visit(r);
    }
    SQLite::Statement rejected(db_,
                               "SELECT id, coalesce(device, sender), seq, coalesce(rep, ''), "
                               "coalesce(kind, ''), coalesce(captured_at_ms, 0), received_at_ms, "
                               "'rejected', raw FROM quarantine ORDER BY id");
    while (rejected.executeStep()) {
        StoredRecord r;
        r.device = rejected.getColumn(1).getString();
        if (!rejected.getColumn(2).isNull())
            r.seq = static_cast<std::uint64_t>(rejected.getColumn(2).getInt64());
        r.rep = rejected.getColumn(3).getString();
        r.kind = rejected.getColumn(4).getString();
        r.captured_at_ms = rejected.getColumn(5).getInt64();
        r.received_at_ms = rejected.getColumn(6).getInt64();
        r.outcome = core::Outcome::rejected;
        fill(rejected, r);
        r.reasons = read_reasons(statements_->quarantine_reasons, rejected.getColumn(0).getInt64());
        visit(r);
    }
}

GatewayStore::Counts GatewayStore::counts() {
    Counts c;
    SQLite::Statement q(db_, "SELECT verdict, count(*) FROM records GROUP BY verdict");
    while (q.executeStep()) {
        auto n = static_cast<std::uint64_t>(q.getColumn(1).getInt64());
        (q.getColumn(0).getString() == "accepted" ? c.accepted : c.flagged) = n;
    }
    c.rejected =
        static_cast<std::uint64_t>(db_.execAndGet("SELECT count(*) FROM quarantine").getInt64());
    return c;
}

namespace {
// Rows of (key, count) as tallies.
std::vector<GatewayStore::Tally> tallies(SQLite::Database& db, const char* sql) {
    std::vector<GatewayStore::Tally> out;
    SQLite::Statement q(db, sql);
    while (q.executeStep())
        out.push_back(
            {q.getColumn(0).getString(), static_cast<std::uint64_t>(q.getColumn(1).getInt64())});
    return out;
}
}  // namespace

std::vector<GatewayStore::Tally> GatewayStore::kinds_by_verdict() {
    return tallies(db_,
                   "SELECT kind || ' ' || verdict, count(*) FROM records GROUP BY kind, verdict "
                   "UNION ALL SELECT coalesce(kind, 'unreadable') || ' rejected', count(*) "
                   "FROM quarantine GROUP BY kind ORDER BY 1");
}

std::vector<GatewayStore::Tally> GatewayStore::reasons_by_frequency() {
    return tallies(
        db_,
        "SELECT code, count(*) AS n FROM (SELECT code FROM record_reasons "
        "UNION ALL SELECT code FROM quarantine_reasons) GROUP BY code ORDER BY n DESC, code");
}

std::string unreachable(const std::string& path) {
    try {
        SQLite::Database probe(path, SQLite::OPEN_READONLY, 1000);
        probe.execAndGet("SELECT count(*) FROM sqlite_master");
        return {};
    } catch (const std::exception& e) {
        return "the store " + path + " cannot be read: " + e.what();
    }
}

}  // namespace fieldflow::store
