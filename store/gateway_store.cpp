#include "store/gateway_store.h"

#include "core/digest.h"
#include "store/book_schema.h"
#include "store/fix_seal.h"
#include "store/group_lookups.h"
#include "store/master_store.h"
#include "store/photo_store.h"
#include "store/plan_store.h"
#include "store/row_batch.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>
#include <unordered_map>

namespace fieldflow::store {

namespace {

// 5: an audit entry may stand for several rows, which a gateway of
// version 4 would take for a changed entry. 6: entries for operators,
// device credentials, closed periods and imported rows, with a subject a
// gateway of version 5 would not hash. 7: check-ins' fixes sealed apart
// from their records (store/fix_seal.h), which a gateway of version 6
// would hash as changed rows.
constexpr int schema_version = 7;

constexpr const char* schema = R"sql(
CREATE TABLE IF NOT EXISTS records (
  id INTEGER PRIMARY KEY,
  device TEXT NOT NULL, seq INTEGER NOT NULL, rep TEXT NOT NULL, kind TEXT NOT NULL,
  captured_at_ms INTEGER NOT NULL, received_at_ms INTEGER NOT NULL,
  verdict TEXT NOT NULL CHECK (verdict IN ('accepted','flagged')),
  raw BLOB NOT NULL,
  fix_at INTEGER, fix_seal BLOB, fix_nonce BLOB, fix_distance_m INTEGER,
  UNIQUE (device, seq));
CREATE TABLE IF NOT EXISTS record_reasons ({rowid}
  record_id INTEGER NOT NULL REFERENCES records(id),
  code TEXT NOT NULL, detail TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS record_reasons_by_record ON record_reasons(record_id);
CREATE TABLE IF NOT EXISTS quarantine (
  id INTEGER PRIMARY KEY,
  sender TEXT NOT NULL,
  device TEXT, seq INTEGER, rep TEXT, kind TEXT, captured_at_ms INTEGER,
  received_at_ms INTEGER NOT NULL,
  raw BLOB NOT NULL, digest BLOB NOT NULL,
  fix_at INTEGER, fix_seal BLOB, fix_nonce BLOB, fix_distance_m INTEGER,
  UNIQUE (sender, digest));
CREATE INDEX IF NOT EXISTS quarantine_by_record ON quarantine(device, seq);
CREATE TABLE IF NOT EXISTS quarantine_reasons ({rowid}
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

// A record whose fix was dropped is the same as one offered again whole
// when they differ in nothing else.
bool same_bytes(std::span<const std::byte> stored, std::span<const std::byte> raw,
                std::optional<std::int64_t> fix_at) {
    if (std::ranges::equal(stored, raw)) return true;
    auto fix = fix_at ? fix_in(stored, *fix_at) : std::span<const std::byte>{};
    if (fix.empty() || stored.size() != raw.size() || !std::ranges::equal(fix, blank_fix()))
        return false;
    auto at = static_cast<std::size_t>(*fix_at);
    return std::ranges::equal(stored.first(at), raw.first(at)) &&
           std::ranges::equal(stored.subspan(at + fix_size), raw.subspan(at + fix_size));
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

// A store from before the audit log: its rows enter the log as they are,
// so that later changes to them are caught.
void adopt_into_audit_log(sql::Database& db, AuditLog& audit) {
    for (auto [table, audited] :
         {std::pair{"records", Audited::record}, std::pair{"quarantine", Audited::quarantined}}) {
        sql::Statement rows(db, std::string("SELECT id FROM ") + table + " ORDER BY id");
        while (rows.step()) audit.append(audited, rows.int64(0), "gateway", "adopted at upgrade");
    }
}

}  // namespace

struct GatewayStore::Statements {
    explicit Statements(sql::Database& db)
        // Booked first, else the first row quarantined under the device's own
        // identity: one lookup, for the common case of a record not seen yet.
        : find_record(db,
                      "SELECT booked, id, verdict, raw, fix_at FROM ("
                      "SELECT 0 AS booked, id, verdict, raw, fix_at FROM records "
                      "WHERE device = ?1 AND seq = ?2 "
                      "UNION ALL SELECT 1, id, 'rejected', raw, fix_at FROM quarantine "
                      "WHERE device = ?1 AND seq = ?2 AND sender = ?1) AS found "
                      "ORDER BY booked, id LIMIT 1"),
          stored_seqs(db,
                      "SELECT seq FROM records WHERE device = ?1 AND seq BETWEEN ?2 AND ?3 "
                      "UNION SELECT seq FROM quarantine WHERE device = ?1 AND sender = ?1 "
                      "AND seq BETWEEN ?2 AND ?3 ORDER BY 1"),
          find_digest(db, "SELECT id FROM quarantine WHERE sender = ?1 AND digest = ?2"),
          record_reasons(
              db, "SELECT code, detail FROM record_reasons WHERE record_id = ?1 ORDER BY rowid"),
          quarantine_reasons(db,
                             "SELECT code, detail FROM quarantine_reasons WHERE quarantine_id = ?1 "
                             "ORDER BY rowid"),
          get_open_visit(db, "SELECT terminal, check_in_seq FROM open_visits WHERE device = ?1"),
          drop_open_visits(db, "DELETE FROM open_visits WHERE device IN (", "?", ")"),
          get_pack(db, "SELECT terminal FROM pack_sightings WHERE identity = ?1"),
          packs(db, "SELECT identity, terminal FROM pack_sightings WHERE identity IN (", "?", ")"),
          get_credential(db,
                         "SELECT rep, token_sha256, enrolled_at_ms, revoked_at_ms "
                         "FROM device_credentials WHERE device = ?1"),
          check_ins_around(
              db,
              "SELECT seq, captured_at_ms, raw FROM ("
              "SELECT * FROM (SELECT seq, captured_at_ms, raw FROM records "
              "WHERE device = ?1 AND kind = 'check_in' AND captured_at_ms < ?2 "
              "ORDER BY captured_at_ms DESC, seq DESC LIMIT 1) AS earlier "
              "UNION ALL SELECT seq, captured_at_ms, raw FROM records "
              "WHERE device = ?1 AND kind = 'check_in' AND captured_at_ms BETWEEN ?2 AND ?3 "
              "UNION ALL SELECT * FROM (SELECT seq, captured_at_ms, raw FROM records "
              "WHERE device = ?1 AND kind = 'check_in' AND captured_at_ms > ?3 "
              "ORDER BY captured_at_ms, seq LIMIT 1) AS later) AS around"),
          next_ids(db,
                   "SELECT (SELECT coalesce(max(id), 0) + 1 FROM records), "
                   "(SELECT coalesce(max(id), 0) + 1 FROM quarantine)") {}

    sql::Statement find_record, stored_seqs, find_digest;
    sql::Statement record_reasons, quarantine_reasons;
    sql::Statement get_open_visit;
    sql::RepeatedStatement drop_open_visits;
    sql::Statement get_pack;
    sql::RepeatedStatement packs;
    sql::Statement get_credential;    // read for every batch of an enrolled gateway
    sql::Statement check_ins_around;  // read for every batch with visit records
    sql::Statement next_ids;          // read once in every transaction that stores
};

namespace {
using sql::Reset;

std::vector<core::Reason> read_reasons(sql::Statement& query, std::int64_t id) {
    Reset reset{query};
    query.bind(1, id);
    std::vector<core::Reason> reasons;
    while (query.step()) reasons.push_back(reason_from_row(query.text(0), query.text(1)));
    return reasons;
}
}  // namespace

GatewayStore::GatewayStore(const std::string& location, Durability durability)
    : db_(sql::Database::open(location, sql::Access::read_write, durability)) {
    db_->map_for_reading();
    {
        sql::Transaction migrate(*db_, sql::TransactionKind::write);
        std::int64_t version = db_->schema_version();
        if (version > schema_version)
            throw std::runtime_error(location + " was written by a newer gateway (schema version " +
                                     std::to_string(version) + ")");
        if (version < schema_version) {
            db_->exec(schema);
            AuditLog::ensure_schema(*db_);
            // Rows from before seals keep hashing as they did: no fix_at.
            for (const char* table : {"records", "quarantine"})
                if (!sql::has_column(*db_, table, "fix_at"))
                    for (const char* column : {"fix_at INTEGER", "fix_seal BLOB", "fix_nonce BLOB",
                                               "fix_distance_m INTEGER"})
                        db_->exec(std::string("ALTER TABLE ") + table + " ADD COLUMN " + column);
            if (version > 0 && version < 4) adopt_into_audit_log(*db_, audit_);
            // Version 6 once the tables it adopts below exist.
            db_->set_schema_version(std::max<std::int64_t>(version, 5));
        }
        // Outside the versioned schema: a store of this version made before
        // the travel rules gains it on the next start, and it costs nothing
        // once there. Its seq column orders check-ins of one instant as the
        // neighbour lookups do, so that they read one entry of the index
        // and not every check-in of the device before or after (the index
        // of stores from before had no seq).
        db_->exec(
            "CREATE INDEX IF NOT EXISTS records_check_ins_in_order ON records (device, "
            "captured_at_ms, seq) WHERE kind = 'check_in'; "
            "DROP INDEX IF EXISTS records_check_ins");
        // Each hello's outbox depth, for a device's backlog over time on the
        // console (store/device_history.h); kept for backlog_kept_ms.
        db_->exec(
            "CREATE TABLE IF NOT EXISTS device_backlog (device TEXT NOT NULL, at_ms INTEGER NOT "
            "NULL, outbox_depth INTEGER NOT NULL, PRIMARY KEY (device, at_ms))");
        // The fixes still kept, oldest first, for their retention's end
        // (store/retention.h) to find without reading every record.
        db_->exec(
            "CREATE INDEX IF NOT EXISTS records_fixes_kept ON records (captured_at_ms) "
            "WHERE fix_nonce IS NOT NULL; "
            "CREATE INDEX IF NOT EXISTS quarantine_fixes_kept ON quarantine (captured_at_ms) "
            "WHERE fix_nonce IS NOT NULL");
        migrate.commit();
    }
    ensure_book_schema(*db_);
    {
        // Under the writers' lock, as every table above: gateways started
        // together on a new PostgreSQL database would each create these,
        // and CREATE TABLE IF NOT EXISTS fails for all but the first.
        sql::Transaction create(*db_, sql::TransactionKind::write);
        OperatorAccounts::ensure_schema(*db_);
        ReviewQueue::ensure_schema(*db_);
        create.commit();
    }
    // Made here, so that the gateway's parts write nothing as they start.
    PhotoStore photos(*db_);
    PlanStore plans(*db_);
    MasterStore masters(*db_);
    if (db_->schema_version() < schema_version) {
        // Operators, credentials and closed periods from before they had
        // entries of their own enter the log as they are.
        sql::Transaction adopt(*db_, sql::TransactionKind::write);
        if (db_->schema_version() < schema_version) {
            audit_.adopt_kept_rows("gateway");
            db_->set_schema_version(schema_version);
        }
        adopt.commit();
    }
    statements_ = std::make_unique<Statements>(*db_);
    held_ = std::make_unique<Held>(*db_);
    answers_ = std::make_unique<Answers>(*db_);
    audit_.hold_entries();
    holding_ = std::make_unique<sql::HeldWrites>(
        *db_, sql::Database::Pending{[this] { send_held(); }, [this] { forget_held(); }});
}

GatewayStore::~GatewayStore() = default;

std::optional<StoredVerdict> GatewayStore::find(const std::string& device, std::uint64_t seq,
                                                std::span<const std::byte> raw) {
    send_held();  // what this transaction holds back counts
    auto& q = statements_->find_record;
    Reset reset{q};
    q.bind(1, device);
    q.bind(2, static_cast<std::int64_t>(seq));
    if (!q.step()) return std::nullopt;
    bool booked = q.int64(0) == 0;
    StoredVerdict found;
    std::int64_t id = q.int64(1);
    found.outcome = outcome_named(q.text(2));
    auto stored = q.blob(3);
    found.same_bytes =
        same_bytes(stored, raw, q.is_null(4) ? std::nullopt : std::optional(q.int64(4)));
    found.raw.assign(stored.begin(), stored.end());
    found.reasons =
        read_reasons(booked ? statements_->record_reasons : statements_->quarantine_reasons, id);
    return found;
}

std::vector<std::uint64_t> GatewayStore::stored_seqs(const std::string& device, std::uint64_t first,
                                                     std::uint64_t last) {
    if (auto answered = answered_seqs(device, first, last)) return *answered;
    send_held();  // what this transaction holds back counts
    auto& q = statements_->stored_seqs;
    Reset reset{q};
    q.bind(1, device);
    q.bind(2, static_cast<std::int64_t>(first));
    q.bind(3, static_cast<std::int64_t>(last));
    std::vector<std::uint64_t> seqs;
    while (q.step()) seqs.push_back(static_cast<std::uint64_t>(q.int64(0)));
    return seqs;
}

std::vector<StoredCheckIn> GatewayStore::check_ins_around(const std::string& device,
                                                          std::int64_t from_ms,
                                                          std::int64_t to_ms) {
    if (auto answered = answered_check_ins(device, from_ms, to_ms)) return *answered;
    send_held();  // what this transaction holds back counts
    auto& q = statements_->check_ins_around;
    Reset reset{q};
    q.bind(1, device);
    q.bind(2, from_ms);
    q.bind(3, to_ms);
    std::vector<StoredCheckIn> found;
    while (q.step()) {
        auto raw = q.blob(2);
        found.push_back({static_cast<std::uint64_t>(q.int64(0)), q.int64(1),
                         std::vector<std::byte>(raw.begin(), raw.end())});
    }
    return found;
}

std::optional<StoredVerdict> GatewayStore::find_unreadable(const std::string& sender,
                                                           std::span<const std::byte> raw) {
    send_held();  // what this transaction holds back counts
    auto digest = core::sha256(raw);
    auto& q = statements_->find_digest;
    Reset reset{q};
    q.bind(1, sender);
    q.bind_blob(2, digest);
    if (!q.step()) return std::nullopt;
    StoredVerdict found;
    found.outcome = core::Outcome::rejected;
    found.reasons = read_reasons(statements_->quarantine_reasons, q.int64(0));
    return found;
}

// The rows of a record are held, with their ids handed out here, and sent
// together before anything reads those tables or the transaction commits
// (send_held): a group of a few hundred records is then a few statements.
struct GatewayStore::Held {
    explicit Held(sql::Database& db)
        : records(db, "records",
                  {"id", "device", "seq", "rep", "kind", "captured_at_ms", "received_at_ms",
                   "verdict", "raw", "fix_at", "fix_seal", "fix_nonce"}),
          record_reasons(db, "record_reasons", {"record_id", "code", "detail"}),
          quarantine(db, "quarantine",
                     {"id", "sender", "device", "seq", "rep", "kind", "captured_at_ms",
                      "received_at_ms", "raw", "digest", "fix_at", "fix_seal", "fix_nonce"}),
          quarantine_reasons(db, "quarantine_reasons", {"quarantine_id", "code", "detail"}),
          open_visits(db, "open_visits", {"device", "terminal", "check_in_seq"},
                      "ON CONFLICT (device) DO UPDATE SET terminal = excluded.terminal, "
                      "check_in_seq = excluded.check_in_seq"),
          pack_sightings(db, "pack_sightings", {"identity", "terminal", "device", "seq"},
                         "ON CONFLICT DO NOTHING") {}
    RowBatch records, record_reasons, quarantine, quarantine_reasons;
    // A device's visit as it stands after the records held: one row, or one
    // delete, however many check-ins and check-outs led there.
    std::map<std::string, std::optional<core::OpenVisit>> visits;
    RowBatch open_visits;
    // Packs first seen in this writer's transaction, by identity: where.
    // Kept past sending their rows, so that a lookup made before the rows
    // went out (packs_seen_at) is never the last word on them.
    sql::WriterScoped<std::unordered_map<std::string, std::string>> packs;
    RowBatch pack_sightings;
    // The next ids to hand out in this writer's transaction, where no other
    // writer adds rows.
    struct Ids {
        std::int64_t record = 0, quarantined = 0;
    };
    sql::WriterScoped<Ids> ids;
};

std::int64_t GatewayStore::next_id(bool quarantined) {
    auto* ids = held_->ids.get(*db_);
    if (!ids) {
        auto& q = statements_->next_ids;
        Reset reset{q};
        if (!q.step()) throw sql::Error("no row from the next ids' query", {});
        ids = &held_->ids.set(*db_, {q.int64(0), q.int64(1)});
    }
    return quarantined ? ids->quarantined++ : ids->record++;
}

void GatewayStore::send_held() {
    auto& h = *held_;
    std::vector<const std::string*> closed;
    for (auto& [device, visit] : h.visits) {
        if (!visit) {
            closed.push_back(&device);
            continue;
        }
        h.open_visits.text(device).text(visit->terminal);
        h.open_visits.integer(static_cast<std::int64_t>(visit->check_in_seq)).end_row();
    }
    // Closed visits a few dozen devices a statement, as the rows go.
    constexpr std::size_t most = sql::RepeatedStatement::most;
    for (std::size_t first = 0; first < closed.size(); first += most) {
        std::size_t n = std::min(most, closed.size() - first);
        auto& drop = statements_->drop_open_visits.with(n);
        Reset reset{drop};
        for (std::size_t i = 0; i < n; ++i) drop.bind(static_cast<int>(i + 1), *closed[first + i]);
        drop.exec();
    }
    h.visits.clear();
    // Owners before what refers to them.
    for (RowBatch* rows : {&h.records, &h.quarantine, &h.record_reasons, &h.quarantine_reasons,
                           &h.open_visits, &h.pack_sightings})
        if (!rows->empty()) rows->send();
    audit_.send_held();
}

void GatewayStore::forget_held() {
    auto& h = *held_;
    for (RowBatch* rows : {&h.records, &h.quarantine, &h.record_reasons, &h.quarantine_reasons,
                           &h.open_visits, &h.pack_sightings})
        rows->clear();
    h.visits.clear();
    if (auto* packs = h.packs.get(*db_)) packs->clear();
    audit_.forget_held();
}

namespace {
// A fix's seal (store/fix_seal.h) after the row's other columns, or none.
void hold_seal(RowBatch& row, const std::optional<SealedFix>& sealed) {
    if (sealed)
        row.integer(sealed->at).blob(std::as_bytes(std::span(sealed->seal))).blob(sealed->nonce);
    else
        row.null().null().null();
    row.end_row();
}

// The envelope into the audit entry, its fix apart when sealed.
void audit_raw(AuditedRow& audited, std::span<const std::byte> raw,
               const std::optional<SealedFix>& sealed) {
    if (sealed)
        audited.sealed_raw(raw, sealed->at, std::as_bytes(std::span(sealed->seal)));
    else
        audited.blob(raw);
}

// Reason rows of `owner`, and each into the audit entry as the log reads it back.
void hold_reasons(RowBatch& rows, std::int64_t owner, const std::vector<core::Reason>& reasons,
                  AuditedRow& audited) {
    for (const auto& r : reasons) {
        rows.integer(owner).text(core::name(r.code)).text(r.detail).end_row();
        audited.values(rows.last_row().columns(1));
    }
}
}  // namespace

void GatewayStore::book(const core::Record& record, const core::Verdict& verdict,
                        std::span<const std::byte> raw, std::int64_t received_at_ms,
                        std::optional<std::size_t> fix_at) {
    std::int64_t id = next_id(false);
    auto& row = held_->records;
    row.integer(id).text(record.device).integer(static_cast<std::int64_t>(record.seq));
    row.text(record.rep).text(core::kind_name(record.payload)).integer(record.captured_at_ms);
    row.integer(received_at_ms).text(core::name(verdict.outcome())).blob(raw);
    auto sealed = seal_fix(raw, fix_at);
    hold_seal(row, sealed);
    // The audit entry vouches for the row's columns but its id, as verify() reads them.
    AuditedRow audited(Audited::record, id);
    audited.values(row.last_row().columns(1, 7));
    audit_raw(audited, raw, sealed);
    hold_reasons(held_->record_reasons, id, verdict.reasons, audited);
    audit_.append(audited, record.device, "record booked");
    bool check_in = std::holds_alternative<core::CheckIn>(record.payload);
    answers_gain(record.device, record.seq,
                 check_in ? std::optional(record.captured_at_ms) : std::nullopt, raw);
    if (db_->write_transaction() == 0) send_held();
}

void GatewayStore::quarantine(const std::string& sender, const core::Record* record,
                              const core::Verdict& verdict, std::span<const std::byte> raw,
                              std::int64_t received_at_ms, std::optional<std::size_t> fix_at) {
    std::int64_t id = next_id(true);
    auto& row = held_->quarantine;
    row.integer(id).text(sender);
    if (record) {
        row.text(record->device).integer(static_cast<std::int64_t>(record->seq));
        row.text(record->rep).text(core::kind_name(record->payload));
        row.integer(record->captured_at_ms);
    } else {
        row.null().null().null().null().null();
    }
    auto digest = core::sha256(raw);
    row.integer(received_at_ms).blob(raw).blob(std::as_bytes(std::span(digest)));
    auto sealed = seal_fix(raw, fix_at);
    hold_seal(row, sealed);
    // All but the id and the digest, which the log does not vouch for.
    AuditedRow audited(Audited::quarantined, id);
    audited.values(row.last_row().columns(1, 7));
    audit_raw(audited, raw, sealed);
    hold_reasons(held_->quarantine_reasons, id, verdict.reasons, audited);
    audit_.append(audited, sender, "record quarantined");
    // Its seq counts as stored for its own device only (as stored_seqs reads).
    if (record && record->device == sender) answers_gain(sender, record->seq);
    if (db_->write_transaction() == 0) send_held();
}

void GatewayStore::remember_visit(const std::string& device,
                                  const std::optional<core::OpenVisit>& visit) {
    if (db_->write_transaction() == 0) return;
    auto* known = visits_.get(*db_);
    if (!known) known = &visits_.set(*db_, {});
    (*known)[device] = visit;
}

std::optional<core::OpenVisit> GatewayStore::open_visit(const std::string& device) {
    if (auto* known = visits_.get(*db_))
        if (auto found = known->find(device); found != known->end()) return found->second;
    auto& q = statements_->get_open_visit;
    Reset reset{q};
    q.bind(1, device);
    std::optional<core::OpenVisit> visit;
    if (q.step()) visit = core::OpenVisit{q.text(0), static_cast<std::uint64_t>(q.int64(1))};
    remember_visit(device, visit);
    return visit;
}

void GatewayStore::set_open_visit(const std::string& device,
                                  const std::optional<core::OpenVisit>& visit) {
    held_->visits[device] = visit;
    remember_visit(device, visit);
    if (db_->write_transaction() == 0) send_held();
}

GatewayStore::PackSightings GatewayStore::packs_seen_at(
    const std::vector<std::string>& identities) {
    constexpr std::size_t most = sql::RepeatedStatement::most;
    PackSightings found;
    for (std::size_t first = 0; first < identities.size(); first += most) {
        std::size_t n = std::min(most, identities.size() - first);
        auto& q = statements_->packs.with(n);
        Reset reset{q};
        for (std::size_t i = 0; i < n; ++i) {
            q.bind(static_cast<int>(i + 1), identities[first + i]);
            found.try_emplace(identities[first + i]);
        }
        while (q.step()) found[q.text(0)] = q.text(1);
    }
    return found;
}

std::optional<std::string> GatewayStore::pack_seen_at(const std::string& identity,
                                                      const PackSightings* stored) {
    if (auto* held = held_->packs.get(*db_))
        if (auto found = held->find(identity); found != held->end()) return found->second;
    if (stored)
        if (auto known = stored->find(identity); known != stored->end()) return known->second;
    auto& q = statements_->get_pack;
    Reset reset{q};
    q.bind(1, identity);
    if (!q.step()) return std::nullopt;
    return q.text(0);
}

void GatewayStore::saw_pack(const std::string& identity, const std::string& terminal,
                            const std::string& device, std::uint64_t seq) {
    // The first sighting stands: a later one held here, or stored before
    // (ON CONFLICT DO NOTHING), changes nothing.
    auto* held = held_->packs.get(*db_);
    if (!held && db_->write_transaction() != 0) held = &held_->packs.set(*db_, {});
    if (held && !held->emplace(identity, terminal).second) return;
    held_->pack_sightings.text(identity).text(terminal).text(device);
    held_->pack_sightings.integer(static_cast<std::int64_t>(seq)).end_row();
    if (db_->write_transaction() == 0) send_held();
}

void GatewayStore::saw_device(const DeviceHello& hello) {
    sql::Statement put(
        *db_,
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
    sql::Statement sample(*db_,
                          "INSERT INTO device_backlog (device, at_ms, outbox_depth) "
                          "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING");
    sample.bind(1, hello.device);
    sample.bind(2, hello.seen_at_ms);
    sample.bind(3, static_cast<std::int64_t>(hello.outbox_depth));
    sample.exec();
    // What the device page shows and no more: a hello is a row, and a
    // device that syncs every minute says hello 1,440 times a day.
    sql::Statement forget(*db_, "DELETE FROM device_backlog WHERE device = ?1 AND at_ms < ?2");
    forget.bind(1, hello.device);
    forget.bind(2, hello.seen_at_ms - backlog_kept_ms);
    forget.exec();
}

std::vector<DeviceHello> GatewayStore::devices() {
    sql::Statement query(*db_,
                         "SELECT device, rep, agent_version, outbox_depth, last_seen_ms "
                         "FROM devices ORDER BY device");
    std::vector<DeviceHello> devices;
    while (query.step())
        devices.push_back({query.text(0), query.text(1), query.text(2),
                           static_cast<std::uint64_t>(query.int64(3)), query.int64(4)});
    return devices;
}

void GatewayStore::enroll(const std::string& device, const std::string& rep,
                          std::span<const unsigned char> token_sha256, std::int64_t at_ms,
                          const std::string& by) {
    sql::Transaction transaction(*db_, sql::TransactionKind::write);
    sql::Statement put(*db_,
                       "INSERT INTO device_credentials (device, rep, token_sha256, "
                       "enrolled_at_ms, revoked_at_ms) VALUES (?1, ?2, ?3, ?4, NULL) "
                       "ON CONFLICT (device) DO UPDATE SET rep = excluded.rep, "
                       "token_sha256 = excluded.token_sha256, "
                       "enrolled_at_ms = excluded.enrolled_at_ms, revoked_at_ms = NULL");
    put.bind(1, device);
    put.bind(2, rep);
    put.bind_blob(3, token_sha256);
    put.bind(4, at_ms);
    put.exec();
    audit_.append_state(Kept::device_credentials, device, by, "device enrolled",
                        device + " for rep " + rep);
    transaction.commit();
}

bool GatewayStore::revoke(const std::string& device, std::int64_t at_ms, const std::string& by,
                          const std::string& reason) {
    sql::Transaction transaction(*db_, sql::TransactionKind::write);
    sql::Statement put(*db_,
                       "UPDATE device_credentials SET revoked_at_ms = ?2 "
                       "WHERE device = ?1 AND revoked_at_ms IS NULL");
    put.bind(1, device);
    put.bind(2, at_ms);
    if (put.exec() == 0) return false;
    audit_.append_state(Kept::device_credentials, device, by, "device revoked",
                        reason.empty() ? device : device + ": " + reason);
    transaction.commit();
    return true;
}

std::optional<Credential> GatewayStore::credential(const std::string& device) {
    if (auto answered = answered_credential(device)) return *answered;
    auto& get = statements_->get_credential;
    Reset reset{get};
    get.bind(1, device);
    if (!get.step()) return std::nullopt;
    return credential_from_row(device, get, 0);
}

std::uint64_t GatewayStore::highest_seq(const std::string& device) {
    sql::Statement q(
        *db_,
        "SELECT coalesce(max(seq), 0) FROM (SELECT seq FROM records WHERE device = ?1 "
        "UNION ALL SELECT seq FROM quarantine WHERE device = ?1 AND sender = ?1) AS s");
    q.bind(1, device);
    return q.step() ? static_cast<std::uint64_t>(q.int64(0)) : 0;
}

std::vector<Credential> GatewayStore::credentials() {
    std::vector<Credential> all;
    sql::Statement q(*db_, "SELECT device FROM device_credentials ORDER BY device");
    while (q.step())
        if (auto c = credential(q.text(0))) all.push_back(std::move(*c));
    return all;
}

void GatewayStore::log_auth(const std::string& device, const std::string& peer,
                            const std::string& event, const std::string& detail,
                            std::int64_t at_ms) {
    sql::Statement put(*db_,
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
    send_held();  // what this transaction holds back counts
    auto fill = [](sql::Statement& q, StoredRecord& r) {
        auto blob = q.blob(8);
        r.raw.assign(blob.begin(), blob.end());
    };
    sql::Statement booked(*db_,
                          "SELECT id, device, seq, rep, kind, captured_at_ms, received_at_ms, "
                          "verdict, raw FROM records ORDER BY id");
    while (booked.step()) {
        StoredRecord r;
        r.device = booked.text(1);
        r.sender = r.device;
        r.seq = static_cast<std::uint64_t>(booked.int64(2));
        r.rep = booked.text(3);
        r.kind = booked.text(4);
        r.captured_at_ms = booked.int64(5);
        r.received_at_ms = booked.int64(6);
        r.outcome = outcome_named(booked.text(7));
        fill(booked, r);
        r.reasons = read_reasons(statements_->record_reasons, booked.int64(0));
        visit(r);
    }
    sql::Statement rejected(*db_,
                            "SELECT id, coalesce(device, sender), seq, coalesce(rep, ''), "
                            "coalesce(kind, ''), coalesce(captured_at_ms, 0), received_at_ms, "
                            "'rejected', raw, sender FROM quarantine ORDER BY id");
    while (rejected.step()) {
        StoredRecord r;
        r.device = rejected.text(1);
        r.sender = rejected.text(9);
        if (!rejected.is_null(2)) r.seq = static_cast<std::uint64_t>(rejected.int64(2));
        r.rep = rejected.text(3);
        r.kind = rejected.text(4);
        r.captured_at_ms = rejected.int64(5);
        r.received_at_ms = rejected.int64(6);
        r.outcome = core::Outcome::rejected;
        fill(rejected, r);
        r.reasons = read_reasons(statements_->quarantine_reasons, rejected.int64(0));
        visit(r);
    }
}

GatewayStore::Counts GatewayStore::counts() {
    send_held();  // what this transaction holds back counts
    Counts c;
    sql::Statement q(*db_, "SELECT verdict, count(*) FROM records GROUP BY verdict");
    while (q.step()) {
        auto n = static_cast<std::uint64_t>(q.int64(1));
        (q.text(0) == "accepted" ? c.accepted : c.flagged) = n;
    }
    c.rejected = static_cast<std::uint64_t>(db_->query_int64("SELECT count(*) FROM quarantine"));
    return c;
}

namespace {
// Rows of (key, count) as tallies.
std::vector<GatewayStore::Tally> tallies(sql::Database& db, const char* sql) {
    std::vector<GatewayStore::Tally> out;
    sql::Statement q(db, sql);
    while (q.step()) out.push_back({q.text(0), static_cast<std::uint64_t>(q.int64(1))});
    return out;
}
}  // namespace

std::vector<GatewayStore::Tally> GatewayStore::kinds_by_verdict() {
    send_held();  // what this transaction holds back counts
    return tallies(*db_,
                   "SELECT kind || ' ' || verdict, count(*) FROM records GROUP BY kind, verdict "
                   "UNION ALL SELECT coalesce(kind, 'unreadable') || ' rejected', count(*) "
                   "FROM quarantine GROUP BY kind ORDER BY 1");
}

std::vector<GatewayStore::Tally> GatewayStore::reasons_by_frequency() {
    send_held();  // what this transaction holds back counts
    return tallies(*db_,
                   "SELECT code, count(*) AS n FROM (SELECT code FROM record_reasons "
                   "UNION ALL SELECT code FROM quarantine_reasons) AS given GROUP BY code ORDER BY "
                   "n DESC, code");
}

std::string unreachable(const std::string& location) {
    try {
        auto probe = sql::Database::open(location, sql::Access::read_only);
        probe->query_int64("SELECT count(*) FROM records");
        return {};
    } catch (const std::exception& e) {
        return "the store " + sql::shown(location) + " cannot be read: " + e.what();
    }
}

}  // namespace fieldflow::store
