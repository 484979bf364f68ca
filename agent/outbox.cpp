#include "agent/outbox.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <thread>
#include <utility>

#include "agent/kept_photo.h"
#include "core/clock.h"
#include "schemas/record_codec.h"

namespace fieldflow::agent {

namespace {

constexpr const char* schema = R"sql(
CREATE TABLE IF NOT EXISTS identity (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  device TEXT NOT NULL, rep TEXT NOT NULL,
  next_seq INTEGER NOT NULL,   -- never reused: survives every delete
  created_at_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, envelope BLOB NOT NULL,
  captured_at_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS visit (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  terminal TEXT NOT NULL, check_in_seq INTEGER NOT NULL, since_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS verdicts (
  seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, verdict TEXT NOT NULL, at_ms INTEGER NOT NULL,
  terminal BLOB);  -- the record's store, sealed as a visit's; NULL for a record of none
CREATE TABLE IF NOT EXISTS verdict_reasons (
  seq INTEGER NOT NULL REFERENCES verdicts(seq), code TEXT NOT NULL, detail TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS credential (id INTEGER PRIMARY KEY CHECK (id = 1), token TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS gateway (id INTEGER PRIMARY KEY CHECK (id = 1), address TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS catalog (
  product TEXT PRIMARY KEY, name TEXT NOT NULL, gtin TEXT NOT NULL, drug_code_prefix TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS master_held (
  id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
-- The role of the device's rep as the master data applied last named it
-- ('': it named none). No row: no master data applied since the field came.
CREATE TABLE IF NOT EXISTS rep_held (
  id INTEGER PRIMARY KEY CHECK (id = 1), role TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS master_terminals (
  terminal TEXT PRIMARY KEY, name TEXT NOT NULL, address TEXT NOT NULL, kind TEXT NOT NULL,
  territory TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL, radius_m REAL NOT NULL,
  grade TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS master_products (
  product TEXT PRIMARY KEY, name TEXT NOT NULL, gtin TEXT NOT NULL,
  drug_code_prefix TEXT NOT NULL, spec TEXT NOT NULL, unit TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS master_distributors (
  distributor TEXT PRIMARY KEY, name TEXT NOT NULL, tier INTEGER NOT NULL,
  territories TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS plan_held (
  id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL,
  first_day INTEGER NOT NULL, last_day INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS plan_visits (
  day INTEGER NOT NULL, position INTEGER NOT NULL, terminal TEXT NOT NULL,
  purpose TEXT NOT NULL, PRIMARY KEY (day, position));
CREATE TABLE IF NOT EXISTS check_ins (terminal TEXT NOT NULL, at_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS check_ins_at ON check_ins(at_ms);
CREATE TABLE IF NOT EXISTS photos (
  sha256 TEXT PRIMARY KEY, bytes INTEGER NOT NULL,
  refused TEXT NOT NULL DEFAULT '',  -- why the gateway will never take it; '' while queued
  detail TEXT NOT NULL DEFAULT '');
-- The rep's PIN (agent/pin_lock.h). Once it is set, the record envelopes,
-- the visit's and check-ins' terminals and the kept photos are sealed.
CREATE TABLE IF NOT EXISTS pin (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  salt BLOB NOT NULL, passes INTEGER NOT NULL, memory_bytes INTEGER NOT NULL,
  wrapped_key BLOB NOT NULL, key_id TEXT NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0, locked_until_ms INTEGER NOT NULL DEFAULT 0);
-- The open visit's captures as the rep's app lists them (agent/outbox.h,
-- VisitLine), sealed once the PIN is set; emptied at check-in and check-out.
CREATE TABLE IF NOT EXISTS visit_lines (
  seq INTEGER PRIMARY KEY, list TEXT NOT NULL, shown BLOB NOT NULL);
-- The packs scanned today, sealed as the lines are; other days' are dropped.
CREATE TABLE IF NOT EXISTS packs_scanned (day TEXT NOT NULL, pack BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS last_ack (
  id INTEGER PRIMARY KEY CHECK (id = 1), at_ms INTEGER NOT NULL,
  accepted INTEGER NOT NULL, flagged INTEGER NOT NULL, rejected INTEGER NOT NULL);
)sql";

SQLite::Database open_database(const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
    constexpr std::chrono::milliseconds busy_wait{5'000};
    SQLite::Database db(dir / "agent.db", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE,
                        static_cast<int>(busy_wait.count()));
    // A new file turns to WAL under its write lock, taken after a read
    // lock: when serve and a CLI command open it together, SQLite answers
    // BUSY at once rather than let them deadlock, so the wait is here.
    auto give_up = std::chrono::steady_clock::now() + busy_wait;
    for (;;) {
        try {
            db.exec("PRAGMA journal_mode = WAL");
            break;
        } catch (const SQLite::Exception& e) {
            if (e.getErrorCode() != SQLITE_BUSY || std::chrono::steady_clock::now() > give_up)
                throw;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    db.exec("PRAGMA synchronous = FULL");
    SQLite::Transaction migrate(db, SQLite::TransactionBehavior::IMMEDIATE);
    db.exec(schema);
    // An outbox made before verdicts kept the record's store.
    if (db.execAndGet("SELECT count(*) FROM pragma_table_info('verdicts') WHERE name = 'terminal'")
            .getInt64() == 0)
        db.exec("ALTER TABLE verdicts ADD COLUMN terminal BLOB");
    migrate.commit();
    return db;
}

std::span<const std::byte> blob_of(const SQLite::Column& column) {
    return {static_cast<const std::byte*>(column.getBlob()),
            static_cast<std::size_t>(column.getBytes())};
}

// Text kept as text when the outbox has no PIN, and sealed when it has.
void bind_kept(SQLite::Statement& statement, int index, const std::optional<DataKey>& key,
               const std::string& text, std::string_view context) {
    if (!key) return statement.bind(index, text);
    auto sealed = seal(*key, as_bytes(text), context);
    statement.bind(index, sealed.data(), static_cast<int>(sealed.size()));
}

std::string record_context(std::uint64_t seq) {
    return "record " + std::to_string(seq);
}
constexpr std::string_view visit_context = "visit";
constexpr std::string_view check_in_context = "check-in";
std::string visit_line_context(std::uint64_t seq) {
    return "visit line " + std::to_string(seq);
}
constexpr std::string_view pack_context = "scanned pack";
std::string verdict_context(std::uint64_t seq) {
    return "verdict " + std::to_string(seq);
}

// The store a queued record was made in, if it names one.
std::optional<std::string> record_terminal(std::span<const std::byte> envelope) {
    auto decoded = wire::decode_record(envelope);
    if (!decoded.record) return std::nullopt;
    return core::terminal_of(decoded.record->payload);
}

// A full disk shows as SQLITE_FULL when a write finds no block, and as an
// I/O error when the WAL index cannot be mapped at open.
bool out_of_space(const SQLite::Exception& e) {
    return e.getErrorCode() == SQLITE_FULL || e.getErrorCode() == SQLITE_IOERR;
}

// Opens the outbox, spending the reserve when the disk is too full for that.
SQLite::Database open_with_room(const std::filesystem::path& dir, SpaceReserve& reserve,
                                bool& spent) {
    try {
        return open_database(dir);
    } catch (const SQLite::Exception& e) {
        if (!out_of_space(e) || !reserve.release()) throw;
    }
    spent = true;
    return open_database(dir);
}

}  // namespace

Outbox::Outbox(const std::filesystem::path& state_dir)
    : reserve_(state_dir / "agent.db-reserve"),
      db_(open_with_room(state_dir, reserve_, reserve_spent_)),
      state_dir_(state_dir) {}

Outbox::~Outbox() {
    for (const auto& sha256 : copied_photos_) {
        try {
            SQLite::Statement queued(db_, "SELECT 1 FROM photos WHERE sha256 = ?1");
            queued.bind(1, sha256);
            if (queued.executeStep()) continue;
            std::error_code ignored;
            std::filesystem::remove(kept_photo_path(state_dir_, sha256), ignored);
        } catch (const std::exception&) {
            // Left in place: a copy too many, never a queued photo without its file.
        }
    }
}

std::optional<Identity> Outbox::identity() {
    SQLite::Statement q(db_, "SELECT device, rep FROM identity WHERE id = 1");
    if (!q.executeStep()) return std::nullopt;
    return Identity{q.getColumn(0).getString(), q.getColumn(1).getString()};
}

Identity Outbox::require_identity() {
    auto id = identity();
    if (!id)
        throw Refused(
            "this handheld is not set up yet: run init --enrolment URI, or init --device ID --rep "
            "ID, first");
    return *id;
}

void Outbox::init(const Identity& wanted) {
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    if (auto existing = identity()) {
        if (existing->device == wanted.device && existing->rep == wanted.rep) return;
        throw Refused("this handheld is already device " + existing->device + " for rep " +
                      existing->rep + "; it cannot become " + wanted.device + "/" + wanted.rep);
    }
    SQLite::Statement insert(db_,
                             "INSERT INTO identity (id, device, rep, next_seq, created_at_ms) "
                             "VALUES (1, ?1, ?2, 1, ?3)");
    insert.bind(1, wanted.device);
    insert.bind(2, wanted.rep);
    insert.bind(3, core::unix_now_ms());
    insert.exec();
    transaction.commit();
}

void Outbox::set_credential(const std::string& token) {
    SQLite::Statement put(db_,
                          "INSERT INTO credential (id, token) VALUES (1, ?1) "
                          "ON CONFLICT (id) DO UPDATE SET token = excluded.token");
    put.bind(1, token);
    put.exec();
}

std::string Outbox::credential() {
    SQLite::Statement q(db_, "SELECT token FROM credential WHERE id = 1");
    return q.executeStep() ? q.getColumn(0).getString() : std::string();
}

void Outbox::set_gateway(const std::string& address) {
    SQLite::Statement put(db_,
                          "INSERT INTO gateway (id, address) VALUES (1, ?1) "
                          "ON CONFLICT (id) DO UPDATE SET address = excluded.address");
    put.bind(1, address);
    put.exec();
}

std::string Outbox::gateway() {
    SQLite::Statement q(db_, "SELECT address FROM gateway WHERE id = 1");
    return q.executeStep() ? q.getColumn(0).getString() : std::string();
}

std::uint64_t Outbox::append(const Identity& identity, core::Payload payload,
                             const std::optional<DataKey>& key) {
    auto seq = static_cast<std::uint64_t>(
        db_.execAndGet("SELECT next_seq FROM identity WHERE id = 1").getInt64());
    core::Record record;
    record.device = identity.device;
    record.seq = seq;
    record.rep = identity.rep;
    record.captured_at_ms = core::unix_now_ms();
    record.payload = std::move(payload);
    record.corrects = std::exchange(corrects_, 0);
    SQLite::Statement skew(db_, "SELECT value FROM settings WHERE key = 'clock_skew_ms'");
    if (skew.executeStep()) record.clock_skew_ms = skew.getColumn(0).getInt64();
    auto envelope = wire::encode_record(record);
    auto bytes = kept(key, envelope, record_context(seq));
    SQLite::Statement insert(
        db_, "INSERT INTO outbox (seq, kind, envelope, captured_at_ms) VALUES (?1, ?2, ?3, ?4)");
    insert.bind(1, static_cast<std::int64_t>(seq));
    insert.bind(2, std::string(core::kind_name(record.payload)));
    insert.bind(3, bytes.data(), static_cast<int>(bytes.size()));
    insert.bind(4, record.captured_at_ms);
    insert.exec();
    db_.exec("UPDATE identity SET next_seq = next_seq + 1 WHERE id = 1");
    queue_photo(std::string(core::photo_sha256(record.payload)));
    return seq;
}

void Outbox::queue_photo(const std::string& sha256) {
    if (sha256.empty()) return;
    auto bytes = kept_photo_bytes(kept_photo_path(state_dir_, sha256));
    if (!bytes) return;  // not kept here: a hash typed in, or a record from before photos
    // A photo sent with two records travels once.
    SQLite::Statement put(db_, "INSERT OR IGNORE INTO photos (sha256, bytes) VALUES (?1, ?2)");
    put.bind(1, sha256);
    put.bind(2, static_cast<std::int64_t>(*bytes));
    put.exec();
}

KeptPhoto Outbox::keep_photo(const std::filesystem::path& source) {
    auto sealing = key();
    auto kept = agent::keep_photo(state_dir_, source, sealing ? &*sealing : nullptr);
    if (kept.copied) copied_photos_.push_back(kept.sha256);
    return kept;
}

KeptPhoto Outbox::keep_photo_bytes(const std::string& name, std::span<const char> bytes) {
    auto sealing = key();
    auto kept = agent::keep_photo_bytes(state_dir_, name, bytes, sealing ? &*sealing : nullptr);
    if (kept.copied) copied_photos_.push_back(kept.sha256);
    return kept;
}

std::optional<std::vector<char>> Outbox::photo_bytes(const QueuedPhoto& photo) {
    auto sealing = key();
    return read_kept_photo(photo.file, photo.sha256, sealing ? &*sealing : nullptr);
}

std::vector<QueuedPhoto> Outbox::queued_photos() {
    SQLite::Statement q(db_, "SELECT sha256, bytes FROM photos WHERE refused = '' ORDER BY rowid");
    std::vector<QueuedPhoto> out;
    while (q.executeStep()) {
        auto sha256 = q.getColumn(0).getString();
        out.push_back({sha256, kept_photo_path(state_dir_, sha256),
                       static_cast<std::uint64_t>(q.getColumn(1).getInt64())});
    }
    return out;
}

PhotoCounts Outbox::photo_counts() {
    SQLite::Statement q(db_,
                        "SELECT count(*) FILTER (WHERE refused = ''), "
                        "count(*) FILTER (WHERE refused <> '') FROM photos");
    q.executeStep();
    return {static_cast<std::uint64_t>(q.getColumn(0).getInt64()),
            static_cast<std::uint64_t>(q.getColumn(1).getInt64())};
}

void Outbox::photo_delivered(const std::string& sha256) {
    SQLite::Statement remove(db_, "DELETE FROM photos WHERE sha256 = ?1");
    remove.bind(1, sha256);
    remove.exec();
    // Only once the row is gone: a power cut between the two leaves a file
    // nothing names, never a queued photo without its file.
    std::error_code ignored;
    std::filesystem::remove(kept_photo_path(state_dir_, sha256), ignored);
}

void Outbox::photo_refused(const std::string& sha256, const std::string& reason,
                           const std::string& detail) {
    SQLite::Statement mark(db_, "UPDATE photos SET refused = ?2, detail = ?3 WHERE sha256 = ?1");
    mark.bind(1, sha256);
    mark.bind(2, reason.empty() ? std::string("refused") : reason);
    mark.bind(3, detail);
    mark.exec();
}

std::vector<RefusedPhoto> Outbox::refused_photos() {
    SQLite::Statement q(db_,
                        "SELECT sha256, refused, detail FROM photos WHERE refused <> '' "
                        "ORDER BY rowid");
    std::vector<RefusedPhoto> out;
    while (q.executeStep())
        out.push_back(
            {q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString()});
    return out;
}

Outbox::CheckedIn Outbox::check_in(const core::CheckIn& check_in) {
    auto id = require_identity();
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    auto sealing = key();
    auto open = open_visit(sealing);
    require_room(open ? 2 : 1);
    if (open) {
        // One visit at a time: the rep moved on without checking out.
        append(id, core::CheckOut{open->terminal, open->check_in_seq, true}, sealing);
    }
    auto seq = append(id, check_in, sealing);
    SQLite::Statement visit(db_,
                            "INSERT OR REPLACE INTO visit (id, terminal, check_in_seq, since_ms) "
                            "VALUES (1, ?1, ?2, ?3)");
    bind_kept(visit, 1, sealing, check_in.terminal, visit_context);
    visit.bind(2, static_cast<std::int64_t>(seq));
    visit.bind(3, core::unix_now_ms());
    visit.exec();
    // Kept apart from the outbox, which forgets a record once it is acked:
    // today's plan marks the stops checked in at (agent/today.h). A week
    // back is more than any plan looks at.
    SQLite::Statement done(db_, "INSERT INTO check_ins (terminal, at_ms) VALUES (?1, ?2)");
    bind_kept(done, 1, sealing, check_in.terminal, check_in_context);
    done.bind(2, core::unix_now_ms());
    done.exec();
    SQLite::Statement forget(db_, "DELETE FROM check_ins WHERE at_ms < ?1");
    forget.bind(1, core::unix_now_ms() - std::int64_t{8} * 24 * 3600 * 1000);
    forget.exec();
    db_.exec("DELETE FROM visit_lines");
    transaction.commit();
    return {seq, open};
}

std::uint64_t Outbox::count(const std::string& product, std::int64_t qty, const std::string& lot) {
    auto id = require_identity();
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    auto sealing = key();
    auto terminal = capture_terminal(sealing);
    require_room(1);
    auto seq = append(id, core::StockCount{terminal, product, lot, qty, false}, sealing);
    list_captured(seq, sealing);
    transaction.commit();
    return seq;
}

std::uint64_t Outbox::check_out() {
    auto id = require_identity();
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    auto sealing = key();
    auto open = open_visit(sealing);
    if (!open) throw Refused("no open visit to check out of");
    require_room(1);
    auto seq = append(id, core::CheckOut{open->terminal, open->check_in_seq, false}, sealing);
    db_.exec("DELETE FROM visit");
    db_.exec("DELETE FROM visit_lines");
    transaction.commit();
    return seq;
}

std::string Outbox::capture_terminal(const std::optional<DataKey>& key) {
    if (corrects_ != 0)
        if (auto terminal = terminal_of(corrects_, key)) return *terminal;
    auto open = open_visit(key);
    if (open) return open->terminal;
    if (corrects_ != 0)
        throw Refused("the handheld does not know which store record " + std::to_string(corrects_) +
                      " was made in: check in there to correct it");
    throw Refused("no open visit: check in first");
}

std::optional<std::string> Outbox::terminal_of(std::uint64_t seq,
                                               const std::optional<DataKey>& key) {
    SQLite::Statement acked(db_, "SELECT terminal FROM verdicts WHERE seq = ?1");
    acked.bind(1, static_cast<std::int64_t>(seq));
    if (acked.executeStep()) {
        if (acked.getColumn(0).isNull()) return std::nullopt;
        return as_text(opened(key, blob_of(acked.getColumn(0)), verdict_context(seq)));
    }
    SQLite::Statement queued(db_, "SELECT envelope FROM outbox WHERE seq = ?1");
    queued.bind(1, static_cast<std::int64_t>(seq));
    if (!queued.executeStep()) return std::nullopt;
    return record_terminal(opened(key, blob_of(queued.getColumn(0)), record_context(seq)));
}

std::optional<OpenVisit> Outbox::open_visit() {
    return open_visit(key());
}

std::optional<OpenVisit> Outbox::open_visit(const std::optional<DataKey>& key) {
    SQLite::Statement q(db_, "SELECT terminal, check_in_seq, since_ms FROM visit WHERE id = 1");
    if (!q.executeStep()) return std::nullopt;
    return OpenVisit{as_text(opened(key, blob_of(q.getColumn(0)), visit_context)),
                     static_cast<std::uint64_t>(q.getColumn(1).getInt64()),
                     q.getColumn(2).getInt64()};
}

void Outbox::list_captured(std::uint64_t seq, const std::optional<DataKey>& key) {
    auto line = std::exchange(listed_, std::nullopt);
    if (!line || !open_visit(key)) return;
    SQLite::Statement put(db_, "INSERT INTO visit_lines (seq, list, shown) VALUES (?1, ?2, ?3)");
    put.bind(1, static_cast<std::int64_t>(seq));
    put.bind(2, line->list);
    bind_kept(put, 3, key, line->shown, visit_line_context(seq));
    put.exec();
    if (line->pack.empty()) return;
    SQLite::Statement forget(db_, "DELETE FROM packs_scanned WHERE day <> ?1");
    forget.bind(1, line->day);
    forget.exec();
    SQLite::Statement seen(db_, "INSERT INTO packs_scanned (day, pack) VALUES (?1, ?2)");
    seen.bind(1, line->day);
    bind_kept(seen, 2, key, line->pack, pack_context);
    seen.exec();
}

std::vector<VisitLine> Outbox::visit_lines() {
    SQLite::Statement q(db_, "SELECT seq, list, shown FROM visit_lines ORDER BY seq");
    auto sealing = key();
    std::vector<VisitLine> out;
    while (q.executeStep()) {
        auto seq = static_cast<std::uint64_t>(q.getColumn(0).getInt64());
        out.push_back({seq,
                       q.getColumn(1).getString(),
                       as_text(opened(sealing, blob_of(q.getColumn(2)), visit_line_context(seq))),
                       {},
                       {}});
    }
    return out;
}

std::set<std::string> Outbox::packs_scanned_on(const std::string& day) {
    SQLite::Statement q(db_, "SELECT pack FROM packs_scanned WHERE day = ?1");
    q.bind(1, day);
    auto sealing = key();
    std::set<std::string> out;
    while (q.executeStep())
        out.insert(as_text(opened(sealing, blob_of(q.getColumn(0)), pack_context)));
    return out;
}

std::uint64_t Outbox::depth() {
    return static_cast<std::uint64_t>(db_.execAndGet("SELECT count(*) FROM outbox").getInt64());
}

std::uint64_t Outbox::next_seq() {
    SQLite::Statement q(db_, "SELECT next_seq FROM identity WHERE id = 1");
    return q.executeStep() ? static_cast<std::uint64_t>(q.getColumn(0).getInt64()) : 1;
}

bool Outbox::continue_after(std::uint64_t highest) {
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement bump(db_,
                           "UPDATE identity SET next_seq = ?1 + 1 WHERE id = 1 AND next_seq = 1");
    bump.bind(1, static_cast<std::int64_t>(highest));
    bool bumped = bump.exec() == 1;
    transaction.commit();
    return bumped;
}

std::optional<LastAck> Outbox::last_ack() {
    SQLite::Statement q(db_,
                        "SELECT at_ms, accepted, flagged, rejected FROM last_ack WHERE id = 1");
    if (!q.executeStep()) return std::nullopt;
    return LastAck{q.getColumn(0).getInt64(), static_cast<std::uint64_t>(q.getColumn(1).getInt64()),
                   static_cast<std::uint64_t>(q.getColumn(2).getInt64()),
                   static_cast<std::uint64_t>(q.getColumn(3).getInt64())};
}

std::vector<Queued> Outbox::oldest(std::size_t limit, std::uint64_t after) {
    SQLite::Statement q(
        db_, "SELECT seq, kind, envelope FROM outbox WHERE seq > ?2 ORDER BY seq LIMIT ?1");
    q.bind(1, static_cast<std::int64_t>(limit));
    q.bind(2, static_cast<std::int64_t>(after));
    std::vector<Queued> out;
    auto sealing = key();
    while (q.executeStep()) {
        auto seq = static_cast<std::uint64_t>(q.getColumn(0).getInt64());
        out.push_back(Queued{seq, q.getColumn(1).getString(),
                             opened(sealing, blob_of(q.getColumn(2)), record_context(seq))});
    }
    return out;
}

void Outbox::acknowledge(const std::vector<Acked>& acked) {
    auto stuck = [&] {
        return Refused("the handheld's storage is full: " + std::to_string(acked.size()) +
                       " records the gateway has stored could not be removed from the outbox; "
                       "free some space on it and sync again (the gateway answers them as sent "
                       "before and stores nothing twice)");
    };
    try {
        write_acks(acked);
    } catch (const SQLite::Exception& e) {
        if (!out_of_space(e)) throw;
        if (!reserve_.release()) throw stuck();
        reserve_spent_ = true;
        try {
            write_acks(acked);
        } catch (const SQLite::Exception& again) {
            if (!out_of_space(again)) throw;
            throw stuck();
        }
    }
    // Without the reserve, the WAL's blocks go back to the disk after each
    // batch, for the next batch's deletes.
    if (reserve_spent_) db_.exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

void Outbox::write_acks(const std::vector<Acked>& acked) {
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement remove(db_, "DELETE FROM outbox WHERE seq = ?1");
    SQLite::Statement envelope(db_, "SELECT envelope FROM outbox WHERE seq = ?1");
    SQLite::Statement remember(db_,
                               "INSERT OR REPLACE INTO verdicts (seq, kind, verdict, at_ms, "
                               "terminal) VALUES (?1, ?2, ?3, ?4, ?5)");
    std::optional<DataKey> sealing;
    bool sealing_read = false;
    SQLite::Statement remember_reason(
        db_, "INSERT INTO verdict_reasons (seq, code, detail) VALUES (?1, ?2, ?3)");
    LastAck totals{core::unix_now_ms()};
    for (const auto& a : acked) {
        // The record's store is kept with its verdict, so that it can be
        // corrected from 结果 with no visit open; read before it is deleted.
        std::optional<std::string> terminal;
        if (a.verdict != "accepted") {
            envelope.bind(1, static_cast<std::int64_t>(a.seq));
            if (envelope.executeStep()) {
                if (!std::exchange(sealing_read, true)) sealing = key();
                terminal = record_terminal(
                    opened(sealing, blob_of(envelope.getColumn(0)), record_context(a.seq)));
            }
            envelope.reset();
        }
        remove.bind(1, static_cast<std::int64_t>(a.seq));
        remove.exec();
        remove.reset();
        if (a.verdict == "accepted") {
            ++totals.accepted;
            continue;
        }
        (a.verdict == "flagged" ? totals.flagged : totals.rejected)++;
        remember.bind(1, static_cast<std::int64_t>(a.seq));
        remember.bind(2, a.kind);
        remember.bind(3, a.verdict);
        remember.bind(4, totals.at_ms);
        if (terminal)
            bind_kept(remember, 5, sealing, *terminal, verdict_context(a.seq));
        else
            remember.bind(5);
        remember.exec();
        remember.reset();
        for (const auto& r : a.reasons) {
            remember_reason.bind(1, static_cast<std::int64_t>(a.seq));
            remember_reason.bind(2, r.code);
            remember_reason.bind(3, r.detail);
            remember_reason.exec();
            remember_reason.reset();
        }
    }
    SQLite::Statement last(
        db_,
        "INSERT OR REPLACE INTO last_ack (id, at_ms, accepted, flagged, rejected) "
        "VALUES (1, ?1, ?2, ?3, ?4)");
    last.bind(1, totals.at_ms);
    last.bind(2, static_cast<std::int64_t>(totals.accepted));
    last.bind(3, static_cast<std::int64_t>(totals.flagged));
    last.bind(4, static_cast<std::int64_t>(totals.rejected));
    last.exec();
    transaction.commit();
}

std::uint64_t Outbox::report_in_visit(const VisitPayload& payload) {
    auto id = require_identity();
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    auto sealing = key();
    auto terminal = capture_terminal(sealing);
    require_room(1);
    auto seq = append(id, payload(terminal), sealing);
    list_captured(seq, sealing);
    transaction.commit();
    return seq;
}

std::uint64_t Outbox::report(const core::Payload& payload) {
    auto id = require_identity();
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    require_room(1);
    auto seq = append(id, payload, key());
    transaction.commit();
    return seq;
}

std::vector<std::uint64_t> Outbox::reports(const std::vector<core::Payload>& payloads) {
    auto id = require_identity();
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    require_room(payloads.size());
    std::vector<std::uint64_t> seqs;
    seqs.reserve(payloads.size());
    auto sealing = key();
    for (const auto& payload : payloads) seqs.push_back(append(id, payload, sealing));
    transaction.commit();
    return seqs;
}

std::uint64_t Outbox::scan(const ScanCapture& scan) {
    auto id = require_identity();
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    auto sealing = key();
    auto open = open_visit(sealing);
    if (!open) throw Refused("no open visit: check in first");
    require_room(1);
    auto seq = append(id,
                      core::Scan{open->terminal, scan.symbology, scan.content,
                                 scan.from_camera ? "camera" : "scanner", scan.image_file},
                      sealing);
    list_captured(seq, sealing);
    transaction.commit();
    return seq;
}

std::vector<std::uint64_t> Outbox::scanned_counts(const std::vector<ScannedCount>& counts) {
    auto id = require_identity();
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    auto sealing = key();
    auto open = open_visit(sealing);
    if (!open) throw Refused("no open visit: check in first");
    require_room(counts.size());
    std::vector<std::uint64_t> seqs;
    seqs.reserve(counts.size());
    for (const auto& c : counts)
        seqs.push_back(
            append(id, core::StockCount{open->terminal, c.product, c.lot, c.qty, true}, sealing));
    transaction.commit();
    return seqs;
}

void Outbox::replace_catalog(const std::vector<CatalogEntry>& entries) {
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    db_.exec("DELETE FROM catalog");
    SQLite::Statement insert(
        db_, "INSERT INTO catalog (product, name, gtin, drug_code_prefix) VALUES (?1, ?2, ?3, ?4)");
    for (const auto& e : entries) {
        insert.bind(1, e.product);
        insert.bind(2, e.name);
        insert.bind(3, e.gtin);
        insert.bind(4, e.drug_code_prefix);
        insert.exec();
        insert.reset();
    }
    transaction.commit();
}

std::vector<Outbox::CatalogEntry> Outbox::catalog() {
    // The downloaded products, but where products.csv (`catalog`) names
    // the same product: what the rep loaded by hand wins.
    SQLite::Statement q(db_,
                        "SELECT product, name, gtin, drug_code_prefix FROM catalog UNION ALL "
                        "SELECT product, name, gtin, drug_code_prefix FROM master_products "
                        "WHERE product NOT IN (SELECT product FROM catalog) ORDER BY product");
    std::vector<CatalogEntry> out;
    while (q.executeStep())
        out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(),
                       q.getColumn(2).getString(), q.getColumn(3).getString()});
    return out;
}

namespace {
// Room for about a month of a busy rep's visits; a handheld's flash holds
// far more, but a rep who has not synced for that long should be told.
constexpr std::uint64_t default_outbox_limit = 50'000;
}  // namespace

std::uint64_t Outbox::outbox_limit() {
    SQLite::Statement q(db_, "SELECT value FROM settings WHERE key = 'outbox_limit'");
    return q.executeStep() ? static_cast<std::uint64_t>(q.getColumn(0).getInt64())
                           : default_outbox_limit;
}

void Outbox::set_clock_skew(std::int64_t skew_ms) {
    SQLite::Statement put(
        db_, "INSERT OR REPLACE INTO settings (key, value) VALUES ('clock_skew_ms', ?1)");
    put.bind(1, skew_ms);
    put.exec();
}

void Outbox::set_outbox_limit(std::uint64_t limit) {
    SQLite::Statement put(
        db_, "INSERT OR REPLACE INTO settings (key, value) VALUES ('outbox_limit', ?1)");
    put.bind(1, static_cast<std::int64_t>(limit));
    put.exec();
}

void Outbox::require_room(std::uint64_t records) {
    if (!reserve_.ensure())
        throw Refused(
            "the handheld's storage is full: free some space on it before capturing more (the "
            "records already queued still sync); nothing was saved");
    auto limit = outbox_limit();
    auto queued = depth();
    if (queued + records > limit)
        throw Refused(
            "the outbox is full (" + std::to_string(queued) + " of " + std::to_string(limit) +
            " records waiting): sync with the gateway before capturing more; nothing was saved");
}

std::vector<Acked> Outbox::verdicts(std::size_t limit) {
    SQLite::Statement q(
        db_, "SELECT seq, kind, verdict, terminal FROM verdicts ORDER BY seq DESC LIMIT ?1");
    q.bind(1, static_cast<std::int64_t>(limit));
    // A locked handheld still lists its verdicts, without their stores.
    std::optional<DataKey> sealing;
    bool readable = true;
    try {
        sealing = key();
    } catch (const Locked&) {
        readable = false;
    }
    SQLite::Statement reasons(
        db_, "SELECT code, detail FROM verdict_reasons WHERE seq = ?1 ORDER BY rowid");
    std::vector<Acked> out;
    while (q.executeStep()) {
        Acked a{static_cast<std::uint64_t>(q.getColumn(0).getInt64()),
                q.getColumn(1).getString(),
                q.getColumn(2).getString(),
                {}};
        if (readable && !q.getColumn(3).isNull())
            a.terminal = as_text(opened(sealing, blob_of(q.getColumn(3)), verdict_context(a.seq)));
        reasons.bind(1, static_cast<std::int64_t>(a.seq));
        while (reasons.executeStep())
            a.reasons.push_back(
                {reasons.getColumn(0).getString(), reasons.getColumn(1).getString()});
        reasons.reset();
        out.push_back(std::move(a));
    }
    return out;
}

const char* lock_status_name(LockStatus status) {
    switch (status) {
        case LockStatus::no_pin:
            return "no_pin";
        case LockStatus::locked:
            return "locked";
        case LockStatus::unlocked:
            return "unlocked";
    }
    return "";
}

Locked::Locked()
    : Refused("the handheld is locked: unlock it with the rep's PIN (fieldflow-agent unlock)") {}

std::optional<DataKey> Outbox::key() {
    auto pin = PinLock(db_).state();
    if (!pin.set) return std::nullopt;
    auto held = held_key(pin.key_id);
    if (!held) throw Locked();
    return held;
}

std::vector<std::byte> Outbox::kept(const std::optional<DataKey>& key,
                                    std::span<const std::byte> value, std::string_view context) {
    if (!key) return {value.begin(), value.end()};
    return seal(*key, value, context);
}

std::vector<std::byte> Outbox::opened(const std::optional<DataKey>& key,
                                      std::span<const std::byte> value, std::string_view context) {
    if (!key) return {value.begin(), value.end()};
    auto plain = open_sealed(*key, value, context);
    // Only a file altered behind the agent's back gets here.
    if (!plain)
        throw std::runtime_error("the outbox's " + std::string(context) +
                                 " does not open with its key");
    return *plain;
}

LockState Outbox::lock_state() {
    auto pin = PinLock(db_).state();
    if (!pin.set) return {};
    auto status = held_key(pin.key_id) ? LockStatus::unlocked : LockStatus::locked;
    return {status, pin.failures, pin.locked_until_ms};
}

void Outbox::set_pin(std::string_view pin, std::chrono::seconds hold,
                     std::optional<std::string_view> current) {
    PinLock lock(db_);
    if (current) {
        // Outside any transaction: a wrong current PIN must stay counted.
        lock.change(*current, pin, core::unix_now_ms());
        return;
    }
    // Argon2id first, outside the transaction: another connection (serve's
    // page, beside the thread that checks PINs) waits only for the writing.
    auto chosen = choose_pin(pin);
    // The pages that held the clear values are zeroed as they are freed,
    // and the WAL that held them is emptied once the sealed ones are in.
    db_.exec("PRAGMA secure_delete = ON");
    std::optional<DataKey> key;
    {
        SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
        key.emplace(lock.choose(std::move(chosen)));
        seal_held(*key);
        // Held before the commit, so that a capture of another connection,
        // which finds the outbox sealed from the commit on, finds the key too.
        hold_key(lock.state().key_id, *key, hold);
        transaction.commit();
    }
    db_.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    db_.exec("PRAGMA secure_delete = OFF");
    seal_kept_photos(*key);
}

void Outbox::seal_held(const DataKey& key) {
    // Each row's value sealed for the place `context` names from its key.
    auto seal_column = [&](const char* select, const char* update, auto context) {
        SQLite::Statement rows(db_, select);
        SQLite::Statement put(db_, update);
        while (rows.executeStep()) {
            auto row = rows.getColumn(0).getInt64();
            auto sealed = seal(key, blob_of(rows.getColumn(1)), context(row));
            put.bind(1, row);
            put.bind(2, sealed.data(), static_cast<int>(sealed.size()));
            put.exec();
            put.reset();
        }
    };
    seal_column("SELECT seq, envelope FROM outbox",
                "UPDATE outbox SET envelope = ?2 WHERE seq = ?1",
                [](std::int64_t seq) { return record_context(static_cast<std::uint64_t>(seq)); });
    seal_column("SELECT id, terminal FROM visit", "UPDATE visit SET terminal = ?2 WHERE id = ?1",
                [](std::int64_t) { return visit_context; });
    seal_column("SELECT rowid, terminal FROM check_ins",
                "UPDATE check_ins SET terminal = ?2 WHERE rowid = ?1",
                [](std::int64_t) { return check_in_context; });
    seal_column(
        "SELECT seq, shown FROM visit_lines", "UPDATE visit_lines SET shown = ?2 WHERE seq = ?1",
        [](std::int64_t seq) { return visit_line_context(static_cast<std::uint64_t>(seq)); });
    seal_column("SELECT rowid, pack FROM packs_scanned",
                "UPDATE packs_scanned SET pack = ?2 WHERE rowid = ?1",
                [](std::int64_t) { return pack_context; });
    seal_column("SELECT seq, terminal FROM verdicts WHERE terminal IS NOT NULL",
                "UPDATE verdicts SET terminal = ?2 WHERE seq = ?1",
                [](std::int64_t seq) { return verdict_context(static_cast<std::uint64_t>(seq)); });
}

void Outbox::seal_kept_photos(const DataKey& key) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(photo_folder(state_dir_), ec)) {
        auto name = entry.path().filename().string();
        if (name.size() == 64 && entry.is_regular_file()) seal_kept_photo(entry.path(), name, key);
    }
}

Held Outbox::unlock(std::string_view pin, std::chrono::seconds hold) {
    PinLock lock(db_);
    auto key = lock.unlock(pin, core::unix_now_ms());
    auto held = hold_key(lock.state().key_id, key, hold);
    // Photos a power cut left in the clear while the PIN was being set.
    seal_kept_photos(key);
    return held;
}

void Outbox::lock() {
    auto pin = PinLock(db_).state();
    if (pin.set) forget_key(pin.key_id);
}

std::set<std::string> Outbox::checked_in_between(std::int64_t from_ms, std::int64_t to_ms) {
    SQLite::Statement q(db_, "SELECT terminal FROM check_ins WHERE at_ms >= ?1 AND at_ms < ?2");
    q.bind(1, from_ms);
    q.bind(2, to_ms);
    auto sealing = key();
    std::set<std::string> out;
    while (q.executeStep())
        out.insert(as_text(opened(sealing, blob_of(q.getColumn(0)), check_in_context)));
    return out;
}

}  // namespace fieldflow::agent
