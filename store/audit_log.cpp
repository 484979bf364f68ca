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
};

const TableSpec specs[] = {
    {Audited::record, "records",
     "SELECT device, seq, rep, kind, captured_at_ms, received_at_ms, verdict, raw FROM records "
     "WHERE id = ?1",
     "SELECT code, detail FROM record_reasons WHERE record_id = ?1 ORDER BY rowid"},
    {Audited::quarantined, "quarantine",
     "SELECT sender, device, seq, rep, kind, captured_at_ms, received_at_ms, raw FROM quarantine "
     "WHERE id = ?1",
     "SELECT code, detail FROM quarantine_reasons WHERE quarantine_id = ?1 ORDER BY rowid"},
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

}  // namespace

// Statements prepared once per log: the gateway appends for every record.
struct AuditLog::Statements {
    explicit Statements(sql::Database& db)
        : last(db, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"),
          put(db,
              "INSERT INTO audit_log (id, at_ms, actor, action, target, row, detail, content, "
              "hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)") {}
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

// The row's content as it is now; nullopt when it is gone.
std::optional<Digest> row_digest(sql::Database& db, AuditLog::Statements& statements,
                                 const TableSpec& s, std::int64_t row, const std::string& detail) {
    Hasher h;
    h.add(std::string_view(s.name)).add(row).add(detail);
    if (!s.row) return h.finish();
    sql::Statement& q = statements.prepared(db, s.row);
    q.bind(1, row);
    if (!q.step()) return std::nullopt;
    for (int i = 0; i < q.columns(); ++i) h.add(q, i);
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

Digest chain(const Digest& previous, std::int64_t id, std::int64_t at_ms, const std::string& actor,
             const std::string& action, const std::string& table, std::int64_t row,
             const std::string& detail, Content content) {
    Hasher h;
    h.add(previous.data(), previous.size()).add(id).add(at_ms).add(actor).add(action).add(table);
    h.add(row).add(detail).add(content.data(), content.size());
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
        "  detail TEXT NOT NULL, content BLOB NOT NULL, hash BLOB NOT NULL)");
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
    const TableSpec& s = spec(table);
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
    Digest hash = chain(previous, id, at_ms, actor, action, s.name, row, detail, content);
    if (holding()) {
        held_->integer(id).integer(at_ms).text(actor).text(action).text(s.name).integer(row);
        held_->text(detail).blob(std::as_bytes(content));
        held_->blob(std::as_bytes(std::span(hash))).end_row();
        last_.set(db_, {id, hash});
        return;
    }
    sql::Statement& put = st.put;
    put.reset();
    put.bind(1, id);
    put.bind(2, at_ms);
    put.bind(3, actor);
    put.bind(4, action);
    put.bind(5, s.name);
    put.bind(6, row);
    put.bind(7, detail);
    put.bind_blob(8, content);
    put.bind_blob(9, hash);
    put.exec();
    put.reset();
    last_.set(db_, {id, hash});
}

void AuditLog::hold_entries() {
    held_ = std::make_unique<RowBatch>(
        db_, "audit_log",
        std::vector<std::string>{"id", "at_ms", "actor", "action", "target", "row", "detail",
                                 "content", "hash"});
}

void AuditLog::send_held() {
    end_run();
    if (held_) held_->send();
}

void AuditLog::forget_held() {
    run_.reset();
    if (held_) held_->clear();
}

AuditReport AuditLog::verify() {
    AuditReport report;
    sql::Transaction snapshot(db_, sql::TransactionKind::read);
    sql::Statement entries(db_,
                           "SELECT id, at_ms, actor, action, target, row, detail, content, "
                           "hash FROM audit_log ORDER BY id");
    Digest previous{};
    std::int64_t expected_id = 1;
    std::set<std::pair<std::string, std::int64_t>> vouched;
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
        ++report.entries;
        if (id != expected_id)
            return broken(id, "entry " + std::to_string(expected_id) + " is missing");
        Digest hash = chain(previous, id, entries.int64(1), entries.text(2), entries.text(3),
                            target, row, detail, content);
        if (hash != from_blob(entries.blob(8)))
            return broken(id, "the entry itself was changed (" + target + " row " +
                                  std::to_string(row) + ")");
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
        previous = hash;
        ++expected_id;
    }
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
    return report;
}

}  // namespace fieldflow::store
