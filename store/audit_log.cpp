#include "store/audit_log.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <vector>

#include "core/clock.h"
#include "core/digest.h"
#include "store/fix_seal.h"

namespace fieldflow::store {

namespace {

using Digest = core::Sha256Digest;

class Hasher {
  public:
    // A row's pieces go into the buffer the thread's last hasher left,
    // grown once at most: the gateway hashes a row for every record it
    // books, and a buffer of its own for each is an allocation and a free
    // per record on the committer's thread.
    Hasher() : pieces_(std::move(spare_)) {
        pieces_.clear();
        pieces_.reserve(512);
    }
    ~Hasher() {
        if (pieces_.capacity() > spare_.capacity()) spare_ = std::move(pieces_);
    }
    Hasher(const Hasher&) = delete;
    Hasher& operator=(const Hasher&) = delete;
    // Every piece with its length, so that ("ab","c") and ("a","bc") differ;
    // gathered first and hashed in one call, which costs less than a call
    // into OpenSSL per piece.
    Hasher& add(const void* data, std::size_t size) {
        std::uint64_t length = size;
        pieces_.append(reinterpret_cast<const char*>(&length), sizeof length);
        pieces_.append(static_cast<const char*>(data), size);
        return *this;
    }
    Hasher& add(std::string_view text) { return add(text.data(), text.size()); }
    Hasher& add(std::span<const std::byte> bytes) { return add(bytes.data(), bytes.size()); }
    // A record's envelope with its fix blanked where it lies, then where,
    // then the fix's seal (store/fix_seal.h): what dropping the fix leaves
    // as it was.
    Hasher& add_sealed(std::span<const std::byte> raw, std::int64_t at,
                       std::span<const std::byte> seal) {
        auto fix = fix_in(raw, at);
        if (fix.empty()) return add(raw).add(at).add(seal);
        std::uint64_t length = raw.size();
        auto chars = [](std::span<const std::byte> b) {
            return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
        };
        auto cut = static_cast<std::size_t>(at);
        pieces_.append(reinterpret_cast<const char*>(&length), sizeof length);
        pieces_.append(chars(raw.first(cut)));
        pieces_.append(chars(blank_fix()));
        pieces_.append(chars(raw.subspan(cut + fix_size)));
        return add(at).add(seal);
    }
    // An integer as its decimal digits.
    Hasher& add(std::int64_t value) {
        char digits[24];
        auto end = std::to_chars(std::begin(digits), std::end(digits), value).ptr;
        return add(digits, static_cast<std::size_t>(end - digits));
    }
    // A column of the statement's current row, with its kind: NULL, an
    // integer, or bytes (text or blob alike).
    Hasher& add(const sql::Statement& row, int column) {
        if (row.is_null(column)) return add(std::string_view("\x01null"));
        if (row.is_integer(column)) return add(row.int64(column));
        auto bytes = row.blob(column);
        return add(bytes.data(), bytes.size());
    }
    Digest finish() {
        auto digest = core::sha256(std::as_bytes(std::span(pieces_)));
        pieces_.clear();
        return digest;
    }

  private:
    static thread_local std::string spare_;
    std::string pieces_;
};

thread_local std::string Hasher::spare_;

struct TableSpec {
    Audited table;
    const char* name;
    const char* row;      // the row's columns, by ?1 = id
    const char* reasons;  // its reasons, when it has some
    // For a table whose rows' last columns are fix_at, fix_seal and
    // fix_nonce, sealing a fix in the column before them (store/fix_seal.h):
    // the target of the entries dropping those fixes, whose content is each
    // row's id and the distance kept in the fix's place, 8 bytes each,
    // big-endian. Null for the other tables.
    const char* fix_redactions = nullptr;
};

const TableSpec specs[] = {
    {Audited::record, "records",
     "SELECT device, seq, rep, kind, captured_at_ms, received_at_ms, verdict, raw, fix_at, "
     "fix_seal, fix_nonce FROM records WHERE id = ?1",
     "SELECT code, detail FROM record_reasons WHERE record_id = ?1 ORDER BY rowid",
     "fix_redactions"},
    {Audited::quarantined, "quarantine",
     "SELECT sender, device, seq, rep, kind, captured_at_ms, received_at_ms, raw, fix_at, "
     "fix_seal, fix_nonce FROM quarantine WHERE id = ?1",
     "SELECT code, detail FROM quarantine_reasons WHERE quarantine_id = ?1 ORDER BY rowid",
     "quarantine_fix_redactions"},
    {Audited::import, "book_sources",
     "SELECT kind, file, digest, imported_at_ms, rows_stored, rows_unchanged, rows_conflicting, "
     "rows_late, rows_bad FROM book_sources WHERE id = ?1",
     nullptr},
    {Audited::period_change, "period_log",
     "SELECT period, action, reason, by, at_ms FROM period_log WHERE id = ?1", nullptr},
    {Audited::flow_adjustment, "flow_adjustments",
     "SELECT flow, field, old_value, new_value, reason, by, at_ms FROM flow_adjustments "
     "WHERE id = ?1",
     nullptr},
    {Audited::device_change, "device_credentials", nullptr, nullptr},
    {Audited::review, "reviews",
     "SELECT record_id, decision, comment, by, at_ms FROM reviews WHERE id = ?1", nullptr},
    {Audited::operator_change, "operators", nullptr, nullptr},
    {Audited::plan_import, "plan_imports",
     "SELECT version, imported_at_ms, source, imported_by, digest, visits, days_replaced "
     "FROM plan_imports WHERE version = ?1",
     nullptr},
    {Audited::personal_data, "personal_data", nullptr, nullptr},
};

const TableSpec& spec(Audited table) {
    for (const auto& s : specs)
        if (s.table == table) return s;
    throw std::logic_error("no audit spec");
}

const TableSpec* spec_named(const std::string& name) {
    for (const auto& s : specs)
        if (name == s.name) return &s;
    return nullptr;
}

// The table whose fixes an entry of target `name` dropped.
const TableSpec* redactions_named(const std::string& name) {
    for (const auto& s : specs)
        if (s.fix_redactions && name == s.fix_redactions) return &s;
    return nullptr;
}

struct KeptSpec {
    Kept table;
    const char* name;
    const char* one;  // the row whose key is ?1, key first
    const char* all;  // every row, key first
};

const KeptSpec kept_specs[] = {
    // The territories ride with the role, so that an operator of every
    // territory hashes as accounts did before scopes existed.
    {Kept::operators, "operators",
     "SELECT name, CASE WHEN territories = '' THEN role ELSE role || ' in ' || territories END, "
     "password, changed_at_ms FROM operators WHERE name = ?1",
     "SELECT name, CASE WHEN territories = '' THEN role ELSE role || ' in ' || territories END, "
     "password, changed_at_ms FROM operators"},
    {Kept::device_credentials, "device_credentials",
     "SELECT device, rep, token_sha256, enrolled_at_ms, revoked_at_ms FROM device_credentials "
     "WHERE device = ?1",
     "SELECT device, rep, token_sha256, enrolled_at_ms, revoked_at_ms FROM device_credentials"},
    {Kept::closed_periods, "closed_periods",
     "SELECT period, closed_at_ms, closed_by FROM closed_periods WHERE period = ?1",
     "SELECT period, closed_at_ms, closed_by FROM closed_periods"},
};

const KeptSpec& kept_spec(Kept table) {
    for (const auto& s : kept_specs)
        if (s.table == table) return s;
    throw std::logic_error("no kept spec");
}

const KeptSpec* kept_named(const std::string& name) {
    for (const auto& s : kept_specs)
        if (name == s.name) return &s;
    return nullptr;
}

// The target of an import's rows entry.
constexpr const char* book_rows = "book_rows";
constexpr std::int64_t no_distance = -1;

// The book tables an import writes, in the order an entry's content
// covers them. Each query yields a row's columns, the names it refers to as
// their text (a name changed in book_names changes every row naming it),
// then the row's source last; `id_column` orders and bounds the rows.
struct BookTable {
    const char* name;
    const char* select;
    const char* id_column;  // null: no id (openings), ordered by their key
    const char* order;
};

const BookTable book_tables[] = {
    {"shipments",
     "SELECT r.id, r.shipment_id, r.day, r.booked_day, d.text, p.text, l.text, r.expiry, r.qty, "
     "r.line, r.source FROM shipments r LEFT JOIN book_names d ON d.id = r.distributor "
     "LEFT JOIN book_names p ON p.id = r.product LEFT JOIN book_names l ON l.id = r.lot",
     "r.id", "r.id"},
    {"flows",
     "SELECT r.id, r.flow_id, r.day, r.booked_day, s.text, b.text, p.text, l.text, r.qty, r.line, "
     "r.source FROM flows r LEFT JOIN book_names s ON s.id = r.seller "
     "LEFT JOIN book_names b ON b.id = r.buyer LEFT JOIN book_names p ON p.id = r.product "
     "LEFT JOIN book_names l ON l.id = r.lot",
     "r.id", "r.id"},
    {"flow_conflicts",
     "SELECT r.id, r.flow_id, r.first, r.day, s.text, b.text, p.text, l.text, r.qty, r.line, "
     "r.source FROM flow_conflicts r LEFT JOIN book_names s ON s.id = r.seller "
     "LEFT JOIN book_names b ON b.id = r.buyer LEFT JOIN book_names p ON p.id = r.product "
     "LEFT JOIN book_names l ON l.id = r.lot",
     "r.id", "r.id"},
    {"stock_reports",
     "SELECT r.id, r.report_id, r.day, r.booked_day, h.text, p.text, l.text, r.qty, r.line, "
     "r.source FROM stock_reports r LEFT JOIN book_names h ON h.id = r.holder "
     "LEFT JOIN book_names p ON p.id = r.product LEFT JOIN book_names l ON l.id = r.lot",
     "r.id", "r.id"},
    {"openings",
     "SELECT h.text, p.text, r.period, r.qty, r.line, r.source FROM openings r "
     "LEFT JOIN book_names h ON h.id = r.holder LEFT JOIN book_names p ON p.id = r.product",
     nullptr, "r.holder, r.product, r.period"},
};
constexpr std::size_t book_table_count = std::size(book_tables);

}  // namespace

// Statements prepared once per log: the gateway appends for every record.
struct AuditLog::Statements {
    explicit Statements(sql::Database& db)
        : last(db, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"),
          put(db,
              "INSERT INTO audit_log (id, at_ms, actor, action, target, row, detail, content, "
              "hash, subject) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)") {}
    sql::Statement& prepared(sql::Database& db, const char* sql) {
        auto& slot = by_sql[sql];
        if (!slot) slot = std::make_unique<sql::Statement>(db, sql);
        slot->reset();
        return *slot;
    }
    sql::Statement last, put;
    std::map<const char*, std::unique_ptr<sql::Statement>> by_sql;
};

namespace {

// The envelope in column `raw_column`, its fix sealed by the three columns
// after it (fix_at, fix_seal, fix_nonce), as AuditedRow::sealed_raw hashed
// it; a row from before seals (no fix_at) as it always hashed. A fix that
// no longer matches its seal, or a nonce gone while the fix stays, hashes
// differently.
void sealed_columns(Hasher& h, const sql::Statement& q, int raw_column) {
    int at = raw_column + 1;
    if (q.is_null(at)) {
        h.add(q, raw_column);
        return;
    }
    auto raw = q.blob(raw_column);
    std::int64_t fix_at = q.int64(at);
    auto seal = q.blob(at + 1);
    h.add_sealed(raw, fix_at, seal);
    auto fix = fix_in(raw, fix_at);
    bool holds = false;
    if (q.is_null(at + 2)) {
        holds = std::ranges::equal(fix, blank_fix());
    } else if (auto nonce = q.blob(at + 2); nonce.size() == FixNonce{}.size()) {
        FixNonce n{};
        std::ranges::copy(nonce, n.begin());
        auto now = fix_seal(n, fix);
        holds = std::ranges::equal(std::as_bytes(std::span(now)), seal);
    }
    if (!holds) h.add(std::string_view("\x01fix does not match its seal"));
}

// The row's content as it is now; nullopt when it is gone.
std::optional<Digest> row_digest(sql::Database& db, AuditLog::Statements& statements,
                                 const TableSpec& s, std::int64_t row, const std::string& detail) {
    Hasher h;
    h.add(std::string_view(s.name)).add(row).add(detail);
    if (!s.row) return h.finish();
    sql::Statement& q = statements.prepared(db, s.row);
    q.bind(1, row);
    if (!q.step()) return std::nullopt;
    int plain = s.fix_redactions ? q.columns() - 4 : q.columns();
    for (int i = 0; i < plain; ++i) h.add(q, i);
    if (s.fix_redactions) sealed_columns(h, q, plain);
    q.reset();
    if (s.reasons) {
        sql::Statement& r = statements.prepared(db, s.reasons);
        r.bind(1, row);
        while (r.step()) h.add(r, 0).add(r, 1);
        r.reset();
    }
    return h.finish();
}

// An entry's content: the digest of each row it stands for, in id order.
using Content = std::span<const unsigned char>;
constexpr std::size_t digest_size = std::tuple_size_v<Digest>;

// An entry without a subject hashes as entries did before subjects existed.
Digest chain(const Digest& previous, std::int64_t id, std::int64_t at_ms, const std::string& actor,
             const std::string& action, const std::string& table, std::int64_t row,
             const std::string& detail, Content content,
             const std::optional<std::string>& subject) {
    Hasher h;
    h.add(previous.data(), previous.size()).add(id).add(at_ms).add(actor).add(action).add(table);
    h.add(row).add(detail).add(content.data(), content.size());
    if (subject) h.add(*subject);
    return h.finish();
}

// A Kept row's state: its columns, or that there is no such row.
Digest kept_digest(const KeptSpec& s, std::string_view key, const sql::Statement* row) {
    Hasher h;
    h.add(std::string_view(s.name)).add(key);
    if (!row) return h.add(std::string_view("\x01gone")).finish();
    for (int i = 0; i < row->columns(); ++i) h.add(*row, i);
    return h.finish();
}

// A book row's digest, its source (the last column) left out.
Digest book_row_digest(const BookTable& t, const sql::Statement& row) {
    Hasher h;
    h.add(std::string_view(t.name));
    for (int i = 0; i + 1 < row.columns(); ++i) h.add(row, i);
    return h.finish();
}

Digest from_blob(std::span<const std::byte> bytes) {
    Digest d{};
    if (bytes.size() == d.size())
        std::transform(bytes.begin(), bytes.end(), d.begin(),
                       [](std::byte b) { return static_cast<unsigned char>(b); });
    return d;
}

}  // namespace

struct AuditedRow::Hash {
    Hasher hasher;
};

AuditedRow::AuditedRow(Audited table, std::int64_t row, const std::string& detail)
    : table_(table), row_(row), detail_(detail), hash_(std::make_unique<Hash>()) {
    hash_->hasher.add(std::string_view(spec(table).name)).add(row).add(detail);
}

AuditedRow::~AuditedRow() = default;

AuditedRow& AuditedRow::text(std::string_view value) {
    hash_->hasher.add(value.data(), value.size());
    return *this;
}

AuditedRow& AuditedRow::integer(std::int64_t value) {
    hash_->hasher.add(value);
    return *this;
}

AuditedRow& AuditedRow::blob(std::span<const std::byte> value) {
    hash_->hasher.add(value.data(), value.size());
    return *this;
}

AuditedRow& AuditedRow::null() {
    hash_->hasher.add("\x01null");
    return *this;
}

AuditedRow& AuditedRow::values(RowBatch::Row values) {
    using Kind = RowBatch::Value::Kind;
    for (std::size_t i = 0; i < values.size(); ++i) {
        auto v = values[i];
        if (v.kind == Kind::null)
            null();
        else if (v.kind == Kind::integer)
            integer(v.integer);
        else
            blob(v.bytes);  // text and blobs hash alike, as the stored row's columns do
    }
    return *this;
}

AuditedRow& AuditedRow::sealed_raw(std::span<const std::byte> raw, std::int64_t fix_at,
                                   std::span<const std::byte> seal) {
    hash_->hasher.add_sealed(raw, fix_at, seal);
    return *this;
}

Digest AuditedRow::digest() {
    return hash_->hasher.finish();
}

AuditLog::AuditLog(sql::Database& db) : db_(db) {}

AuditLog::~AuditLog() = default;

AuditLog::Statements& AuditLog::statements() {
    if (!statements_) statements_ = std::make_unique<Statements>(db_);
    return *statements_;
}

void AuditLog::ensure_schema(sql::Database& db) {
    db.exec(
        "CREATE TABLE IF NOT EXISTS audit_log ("
        "  id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, actor TEXT NOT NULL,"
        "  action TEXT NOT NULL, target TEXT NOT NULL, row INTEGER NOT NULL,"
        "  detail TEXT NOT NULL, content BLOB NOT NULL, hash BLOB NOT NULL, subject TEXT)");
    // A log from before subjects: its entries keep hashing as they did.
    if (!sql::has_column(db, "audit_log", "subject"))
        db.exec("ALTER TABLE audit_log ADD COLUMN subject TEXT");
}

void AuditLog::append(Audited table, std::int64_t row, const std::string& actor,
                      const std::string& action, const std::string& detail) {
    auto content = row_digest(db_, statements(), spec(table), row, detail);
    if (!content) throw std::logic_error(std::string("audited row missing in ") + spec(table).name);
    end_run();
    chain_entry(table, row, actor, action, detail, *content);
}

void AuditLog::append(AuditedRow& row, const std::string& actor, const std::string& action) {
    Digest digest = row.digest();
    if (!holding() || !row.detail().empty()) {
        end_run();
        chain_entry(row.table(), row.row(), actor, action, row.detail(), digest);
        return;
    }
    // A batch of a hundred records is one entry instead of a hundred: a
    // hundred fewer rows to insert and hashes to chain in the commit.
    if (!run_ || run_->table != row.table() || run_->next_row() != row.row() ||
        run_->actor != actor || run_->action != action) {
        end_run();
        run_ = Run{row.table(), row.row(), actor, action, {}};
    }
    run_->digests.insert(run_->digests.end(), digest.begin(), digest.end());
}

bool AuditLog::holding() const {
    return held_ && db_.write_transaction() != 0;
}

void AuditLog::end_run() {
    if (!run_) return;
    Run run = std::move(*run_);
    run_.reset();
    chain_entry(run.table, run.first, run.actor, run.action, {}, run.digests);
}

void AuditLog::chain_entry(Audited table, std::int64_t row, const std::string& actor,
                           const std::string& action, const std::string& detail, Content content) {
    chain_entry(spec(table).name, row, actor, action, detail, content, std::nullopt);
}

void AuditLog::chain_entry(const std::string& target, std::int64_t row, const std::string& actor,
                           const std::string& action, const std::string& detail, Content content,
                           const std::optional<std::string>& subject) {
    auto& st = statements();
    // Inside one writer's transaction nobody else extends the chain: the
    // entry this log appended last is still the last one.
    Digest previous{};
    std::int64_t id = 1;
    if (const Last* kept = last_.get(db_)) {
        id = kept->id + 1;
        previous = kept->hash;
    } else {
        sql::Statement& last = st.last;
        sql::Reset reset{last};
        if (last.step()) {
            id = last.int64(0) + 1;
            previous = from_blob(last.blob(1));
        }
    }
    std::int64_t at_ms = core::unix_now_ms();
    Digest hash = chain(previous, id, at_ms, actor, action, target, row, detail, content, subject);
    if (holding()) {
        held_->integer(id).integer(at_ms).text(actor).text(action).text(target).integer(row);
        held_->text(detail).blob(std::as_bytes(content));
        held_->blob(std::as_bytes(std::span(hash)));
        if (subject)
            held_->text(*subject);
        else
            held_->null();
        held_->end_row();
        last_.set(db_, {id, hash});
        return;
    }
    sql::Statement& put = st.put;
    put.reset();
    put.bind(1, id);
    put.bind(2, at_ms);
    put.bind(3, actor);
    put.bind(4, action);
    put.bind(5, target);
    put.bind(6, row);
    put.bind(7, detail);
    put.bind_blob(8, content);
    put.bind_blob(9, hash);
    if (subject)
        put.bind(10, *subject);
    else
        put.bind_null(10);
    put.exec();
    put.reset();
    last_.set(db_, {id, hash});
}

void AuditLog::hold_entries() {
    held_ = std::make_unique<RowBatch>(
        db_, "audit_log",
        std::vector<std::string>{"id", "at_ms", "actor", "action", "target", "row", "detail",
                                 "content", "hash", "subject"});
}

void AuditLog::send_held() {
    end_run();
    if (held_) held_->send();
}

void AuditLog::forget_held() {
    run_.reset();
    if (held_) held_->clear();
}

std::string format_head(const AuditHead& head) {
    return std::to_string(head.entry) + ":" + core::hex(head.hash);
}

std::optional<AuditHead> parse_head(std::string_view text) {
    auto colon = text.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    AuditHead head;
    auto [end, ec] = std::from_chars(text.data(), text.data() + colon, head.entry);
    if (ec != std::errc() || end != text.data() + colon || head.entry < 1) return std::nullopt;
    std::string_view hex = text.substr(colon + 1);
    if (hex.size() != head.hash.size() * 2) return std::nullopt;
    for (std::size_t i = 0; i < head.hash.size(); ++i) {
        auto [at, bad] =
            std::from_chars(hex.data() + 2 * i, hex.data() + 2 * i + 2, head.hash[i], 16);
        if (bad != std::errc() || at != hex.data() + 2 * i + 2) return std::nullopt;
    }
    return head;
}

void AuditLog::append_state(Kept table, const std::string& key, const std::string& actor,
                            const std::string& action, const std::string& detail) {
    const KeptSpec& s = kept_spec(table);
    sql::Statement& q = statements().prepared(db_, s.one);
    sql::Reset reset{q};
    q.bind(1, key);
    Digest state = q.step() ? kept_digest(s, key, &q) : kept_digest(s, key, nullptr);
    end_run();
    chain_entry(s.name, 0, actor, action, detail, state, key);
}

void AuditLog::adopt_kept_rows(const std::string& actor) {
    for (const auto& s : kept_specs) {
        std::vector<std::string> keys;
        sql::Statement rows(db_, std::string(s.all) + " ORDER BY 1");
        while (rows.step()) keys.push_back(rows.text(0));
        rows.reset();
        for (const auto& key : keys) append_state(s.table, key, actor, "adopted at upgrade", key);
    }
}

BookRowMarks AuditLog::book_row_marks() {
    BookRowMarks marks;
    for (const auto& t : book_tables) {
        if (!t.id_column) {
            marks.last_ids.push_back(0);
            continue;
        }
        std::string table = t.name;
        marks.last_ids.push_back(db_.query_int64("SELECT coalesce(max(id), 0) FROM " + table));
    }
    return marks;
}

void AuditLog::append_import_rows(std::int64_t source, const BookRowMarks& marks,
                                  const std::string& actor) {
    std::vector<unsigned char> content;
    for (std::size_t i = 0; i < book_table_count; ++i) {
        const BookTable& t = book_tables[i];
        std::string sql = std::string(t.select) + " WHERE r.source = ?1";
        if (t.id_column) sql += std::string(" AND ") + t.id_column + " > ?2";
        sql += std::string(" ORDER BY ") + t.order;
        sql::Statement rows(db_, sql);
        rows.bind(1, source);
        if (t.id_column) rows.bind(2, marks.last_ids.at(i));
        core::Sha256 all;
        while (rows.step()) {
            Digest d = book_row_digest(t, rows);
            all.update(d.data(), d.size());
        }
        Digest d = all.finish();
        content.insert(content.end(), d.begin(), d.end());
    }
    end_run();
    chain_entry(book_rows, source, actor, "rows imported", {}, content, std::nullopt);
}

namespace {
void put_big_endian(std::vector<unsigned char>& out, std::int64_t value) {
    auto v = static_cast<std::uint64_t>(value);
    for (int shift = 56; shift >= 0; shift -= 8)
        out.push_back(static_cast<unsigned char>(v >> shift));
}
std::int64_t big_endian_at(Content content, std::size_t at) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | content[at + i];
    return static_cast<std::int64_t>(v);
}
}  // namespace

void AuditLog::append_redaction(Audited table, const std::vector<Redacted>& rows,
                                const std::string& actor, const std::string& detail) {
    std::vector<unsigned char> content;
    content.reserve(rows.size() * 16);
    for (const auto& r : rows) {
        put_big_endian(content, r.row);
        put_big_endian(content, r.distance_m.value_or(no_distance));
    }
    end_run();
    const char* target = spec(table).fix_redactions;
    if (!target) throw std::logic_error("no fixes are sealed in this table");
    chain_entry(target, 0, actor, "fixes dropped", detail, content, std::nullopt);
}

std::optional<AuditHead> AuditLog::head() {
    send_held();
    sql::Statement& last = statements().last;
    sql::Reset reset{last};
    if (!last.step()) return std::nullopt;
    return AuditHead{last.int64(0), from_blob(last.blob(1))};
}

AuditReport AuditLog::verify(const std::optional<AuditHead>& recorded) {
    AuditReport report;
    sql::Transaction snapshot(db_, sql::TransactionKind::read);
    sql::Statement entries(db_,
                           "SELECT id, at_ms, actor, action, target, row, detail, content, "
                           "hash, subject FROM audit_log ORDER BY id");
    Digest previous{};
    std::int64_t expected_id = 1;
    std::set<std::pair<std::string, std::int64_t>> vouched;
    // The latest entry for each row of a Kept table: its id and the state.
    std::map<std::pair<std::string, std::string>, std::pair<std::int64_t, Digest>> kept;
    // Each import's rows entry: its id and content.
    std::map<std::int64_t, std::pair<std::int64_t, std::vector<unsigned char>>> imports;
    // Rows whose fix a redaction entry dropped, by table: that entry, the distance.
    std::map<std::pair<std::string, std::int64_t>, std::pair<std::int64_t, std::int64_t>> redacted;
    std::optional<Digest> recorded_found;
    auto broken = [&](std::int64_t entry, std::string what) {
        report.problem = AuditProblem{entry, std::move(what)};
        return report;
    };
    while (entries.step()) {
        std::int64_t id = entries.int64(0);
        std::string target = entries.text(4);
        std::int64_t row = entries.int64(5);
        std::string detail = entries.text(6);
        auto blob = entries.blob(7);
        Content content(reinterpret_cast<const unsigned char*>(blob.data()), blob.size());
        std::optional<std::string> subject;
        if (!entries.is_null(9)) subject = entries.text(9);
        ++report.entries;
        if (id != expected_id)
            return broken(id, "entry " + std::to_string(expected_id) + " is missing");
        Digest hash = chain(previous, id, entries.int64(1), entries.text(2), entries.text(3),
                            target, row, detail, content, subject);
        if (hash != from_blob(entries.blob(8)))
            return broken(id, "the entry itself was changed (" + target + " row " +
                                  std::to_string(row) + ")");
        if (recorded && id == recorded->entry) recorded_found = hash;
        previous = hash;
        ++expected_id;
        if (subject) {
            if (!kept_named(target) || content.size() != digest_size)
                return broken(id, "names an unknown table " + target);
            kept[{target, *subject}] = {id, from_blob(std::as_bytes(content))};
            continue;
        }
        if (const TableSpec* dropped = redactions_named(target)) {
            if (content.size() % 16 != 0)
                return broken(id, "its content is not rows with their distances");
            for (std::size_t at = 0; at < content.size(); at += 16)
                redacted[{dropped->name, big_endian_at(content, at)}] = {
                    id, big_endian_at(content, at + 8)};
            continue;
        }
        if (target == book_rows) {
            if (content.size() != book_table_count * digest_size)
                return broken(id, "its content is not the digests of an import's rows");
            imports[row] = {id, {content.begin(), content.end()}};
            continue;
        }
        const TableSpec* s = spec_named(target);
        if (!s) return broken(id, "names an unknown table " + target);
        if (s->row) {
            std::int64_t rows = static_cast<std::int64_t>(content.size() / digest_size);
            if (rows == 0 || content.size() % digest_size != 0 ||
                row > std::numeric_limits<std::int64_t>::max() - (rows - 1))
                return broken(id, "its content is not whole digests of " + target + " rows");
            for (std::int64_t k = 0; k < rows; ++k) {
                auto named = [&] { return target + " row " + std::to_string(row + k); };
                auto now = row_digest(db_, statements(), *s, row + k, detail);
                if (!now) return broken(id, named() + " was deleted");
                if (!std::ranges::equal(
                        *now,
                        content.subspan(static_cast<std::size_t>(k) * digest_size, digest_size)))
                    return broken(id, named() + " was changed");
                vouched.emplace(target, row + k);
            }
        }
    }
    entries.reset();
    // Rows nobody vouched for were written behind the log's back.
    for (const char* table : {"records", "quarantine"}) {
        sql::Statement rows(db_, std::string("SELECT id FROM ") + table + " ORDER BY id");
        while (rows.step()) {
            std::int64_t row = rows.int64(0);
            if (!vouched.count({table, row}))
                return broken(expected_id, std::string(table) + " row " + std::to_string(row) +
                                               " is not in the log");
        }
    }
    // A fix is dropped by its redaction entry only, which says what
    // distance stands in its place.
    for (const auto& t : specs) {
        if (!t.fix_redactions) continue;
        sql::Statement rows(db_, std::string("SELECT id, fix_distance_m FROM ") + t.name +
                                     " WHERE fix_at IS NOT NULL AND fix_nonce IS NULL ORDER BY id");
        while (rows.step()) {
            std::int64_t row = rows.int64(0);
            auto named = std::string(t.name) + " row " + std::to_string(row);
            auto entry = redacted.find({t.name, row});
            if (entry == redacted.end())
                return broken(expected_id, named + " lost its fix without a redaction entry");
            std::int64_t distance = rows.is_null(1) ? no_distance : rows.int64(1);
            if (distance != entry->second.second)
                return broken(entry->second.first,
                              "the distance kept for " + named + " was changed");
        }
    }
    // Every row of a Kept table as its latest entry left it, and none
    // without one.
    for (const auto& s : kept_specs) {
        std::set<std::string> present;
        sql::Statement rows(db_, std::string(s.all) + " ORDER BY 1");
        while (rows.step()) {
            std::string key = rows.text(0);
            present.insert(key);
            auto named = std::string(s.name) + " row " + key;
            auto latest = kept.find({s.name, key});
            if (latest == kept.end()) return broken(expected_id, named + " is not in the log");
            if (kept_digest(s, key, &rows) != latest->second.second)
                return broken(latest->second.first, named + " was changed after this entry");
        }
        for (const auto& [at, latest] : kept) {
            if (at.first != s.name || present.count(at.second)) continue;
            if (latest.second != kept_digest(s, at.second, nullptr))
                return broken(latest.first,
                              std::string(s.name) + " row " + at.second + " was deleted");
        }
    }
    // Each import's rows, recomputed in one pass over each table.
    if (!imports.empty()) {
        std::map<std::int64_t, std::vector<core::Sha256>> sums;
        for (const auto& [source, entry] : imports)
            sums[source] = std::vector<core::Sha256>(book_table_count);
        for (std::size_t i = 0; i < book_table_count; ++i) {
            const BookTable& t = book_tables[i];
            sql::Statement rows(db_, std::string(t.select) + " ORDER BY " + t.order);
            while (rows.step()) {
                // Known once a row is read: PostgreSQL runs the query at the first step.
                auto sum = sums.find(rows.int64(rows.columns() - 1));
                if (sum == sums.end()) continue;
                Digest d = book_row_digest(t, rows);
                sum->second[i].update(d.data(), d.size());
            }
        }
        for (auto& [source, entry] : imports) {
            for (std::size_t i = 0; i < book_table_count; ++i) {
                Digest now = sums[source][i].finish();
                if (!std::ranges::equal(
                        now, std::span(entry.second).subspan(i * digest_size, digest_size))) {
                    // The file, as its own entry (checked above) vouches for it.
                    sql::Statement file(db_, "SELECT file FROM book_sources WHERE id = ?1");
                    file.bind(1, source);
                    std::string from = file.step() ? " (" + file.text(0) + ")" : "";
                    return broken(entry.first, std::string(book_tables[i].name) +
                                                   " rows of import " + std::to_string(source) +
                                                   from + " were changed, added or deleted");
                }
            }
        }
    }
    if (recorded) {
        std::int64_t last = expected_id - 1;
        if (recorded->entry > last)
            return broken(last + 1, "entry " + std::to_string(recorded->entry) +
                                        ", the recorded head, is missing: the log ends at entry " +
                                        std::to_string(last) +
                                        " (its newest entries were deleted)");
        if (recorded_found != recorded->hash)
            return broken(recorded->entry, "entry " + std::to_string(recorded->entry) +
                                               " is not the recorded head: its hash is " +
                                               core::hex(recorded_found.value_or(Digest{})) +
                                               ", the recorded one " + core::hex(recorded->hash));
    }
    return report;
}

}  // namespace fieldflow::store
