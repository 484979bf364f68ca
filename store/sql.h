#pragma once
// One way to speak SQL to either store: the embedded SQLite file that a
// single gateway uses, or a PostgreSQL database that several gateways
// share (libpq). The store's classes write their SQL once, with SQLite's
// `?N` parameters and the dialect both understand (ON CONFLICT, RETURNING,
// coalesce); the PostgreSQL connection numbers the parameters its own way.
//
// A location is a file path, or a URL starting with postgresql:// (or
// postgres://) in libpq's syntax.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace fieldflow::store::sql {

enum class Backend { sqlite, postgresql };

bool is_postgresql(std::string_view location);
// The location as messages may show it: a URL's password hidden.
std::string shown(const std::string& location);

// A statement or connection failed. `sqlstate` is PostgreSQL's five-letter
// code, or SQLite's extended result code in decimal.
class Error : public std::runtime_error {
  public:
    Error(const std::string& what, std::string sqlstate)
        : std::runtime_error(what), sqlstate_(std::move(sqlstate)) {}
    const std::string& sqlstate() const { return sqlstate_; }
    // Another writer held the store for longer than this connection waits
    // (SQLite's BUSY or LOCKED; PostgreSQL's lock_not_available, or a
    // serialization failure or deadlock it broke): nothing of the failed
    // transaction stands, and the same work may succeed when tried again.
    bool busy() const;

  private:
    std::string sqlstate_;
};

enum class Access { read_write, read_only };

// How long a commit waits for the disk. `full` survives power loss;
// `normal` survives a crash of the gateway's process, not of the machine
// (SQLite: synchronous NORMAL under WAL; PostgreSQL: synchronous_commit off).
enum class Durability { full, normal };

// Whether a statement keeps its own copy of a bound text or blob, or only
// points at the caller's until it has run: a multi-row insert binds
// thousands of values that live in the caller's buffer anyway.
enum class Lifetime { copied, borrowed };

// One value of a row sent in bulk (Database::copy_rows). Text and blobs
// point into the sender's buffer.
struct Value {
    enum class Kind : std::uint8_t { null, integer, text, blob };
    Kind kind = Kind::null;
    std::int64_t integer = 0;
    std::span<const std::byte> bytes;
};

// What a backend's statement does; Statement below is the handle callers use.
class Cursor {
  public:
    virtual ~Cursor() = default;
    virtual void bind_int64(int index, std::int64_t value) = 0;
    virtual void bind_text(int index, std::string_view value, Lifetime lifetime) = 0;
    virtual void bind_blob(int index, std::span<const std::byte> value, Lifetime lifetime) = 0;
    virtual void bind_null(int index) = 0;
    virtual bool step() = 0;
    virtual std::int64_t changes() = 0;  // rows the last run inserted, updated or deleted
    virtual void reset() noexcept = 0;
    virtual int columns() const = 0;
    virtual bool is_null(int column) const = 0;
    virtual bool is_integer(int column) const = 0;
    virtual std::int64_t int64(int column) const = 0;
    virtual std::string_view text(int column) const = 0;
    virtual std::span<const std::byte> blob(int column) const = 0;
};

enum class TransactionKind {
    read,   // one consistent view of every table until it ends
    write,  // the only writer of the store until it ends, across processes and hosts
};

class Database {
  public:
    // Opens (and for SQLite creates) the store at `location`.
    static std::unique_ptr<Database> open(const std::string& location,
                                          Access access = Access::read_write,
                                          Durability durability = Durability::full);
    virtual ~Database() = default;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    virtual Backend backend() const = 0;
    const std::string& location() const { return location_; }

    // Statements without parameters or rows, several separated by `;`.
    // Schemas are written in SQLite's types; PostgreSQL reads INTEGER as
    // BIGINT, BLOB as BYTEA and `id INTEGER PRIMARY KEY` as an identity
    // column, and `{rowid}` marks the insertion-order column SQLite gives
    // every table and PostgreSQL needs spelt out.
    virtual void exec(std::string_view sql) = 0;
    virtual std::unique_ptr<Cursor> prepare(std::string_view sql) = 0;

    // Appends `rows` rows of `columns` to `table` by the backend's bulk
    // path, value i of them (row by row) as `value(i)` gives it: PostgreSQL's
    // COPY, one round trip whose rows the server reads without planning or
    // evaluating an INSERT's thousands of parameters. False, with nothing
    // sent, where there is no such path (SQLite, whose fastest is a
    // multi-row INSERT). The rows meet the table's constraints as an
    // INSERT's would; there is no ON CONFLICT.
    virtual bool copy_rows(std::string_view /*table*/, std::span<const std::string> /*columns*/,
                           std::size_t /*rows*/,
                           const std::function<Value(std::size_t)>& /*value*/) {
        return false;
    }

    // The first column of the first row of a query without parameters.
    std::int64_t query_int64(std::string_view sql);

    // A transaction as TransactionKind says; Transaction below is the handle.
    void begin(TransactionKind kind) {
        open_transaction(kind);
        ++transactions_;
        writing_ = kind == TransactionKind::write;
    }
    void commit() {
        if (writing_)
            for (auto* pending : pending_) pending->send();
        commit_transaction();
        writing_ = false;
    }
    void rollback() noexcept {
        rollback_transaction();
        if (writing_)
            for (auto* pending : pending_) pending->forget();
        writing_ = false;
    }
    // Writes an owner holds back to send together: `send` runs as a
    // writer's transaction is about to commit (a throw fails the commit),
    // `forget` when it rolled back. Owners send in the order they began to
    // hold; HeldWrites below registers one for as long as it lives.
    struct Pending {
        std::function<void()> send;
        std::function<void()> forget;
    };
    // The writer's transaction open now, by a number no other transaction
    // of this connection has; 0 outside one. What a writer reads inside
    // stays true until it ends: no other writer can change it meanwhile.
    std::uint64_t write_transaction() const { return writing_ ? transactions_ : 0; }

    // The version of the store's own schema, 0 for a new store; read and
    // written inside the migrating transaction.
    virtual std::int64_t schema_version() = 0;
    virtual void set_schema_version(std::int64_t version) = 0;

    // A counter that moves whenever another connection committed a change
    // to this store since this one last looked.
    virtual std::int64_t others_commits() = 0;

    // For a process that looks rows up all over a store larger than its
    // page cache, such as the gateway's committer (seqs, pack identities):
    // pages are read through a memory map of the file instead of copied
    // in by a call each (SQLite; PostgreSQL's server keeps its own buffers).
    virtual void map_for_reading() {}

    // For a long-lived writer such as the gateway's committer: the work of
    // keeping the store's log short moves to a thread of its own, so a
    // commit does not also copy earlier commits into the database file
    // (SQLite's WAL checkpoints; PostgreSQL's server does this itself).
    // The callback hears of a pass that failed (from the checkpointing thread).
    virtual void checkpoint_in_background(std::function<void(const std::string&)> = {}) {}

    // For a writer that acks only what sync() has covered: its commits
    // return once written to the store's log, before the disk has them,
    // and sync() (from any thread, while the writer goes on) makes every
    // commit returned before it began as durable as `full` would have.
    // False, and nothing changes, where commits already sync themselves
    // (PostgreSQL) or where nothing syncs (Durability::normal).
    virtual bool defer_syncs() { return false; }
    virtual void sync() {}

  protected:
    explicit Database(std::string location) : location_(std::move(location)) {}
    virtual void open_transaction(TransactionKind kind) = 0;
    virtual void commit_transaction() = 0;
    virtual void rollback_transaction() noexcept = 0;

  private:
    std::string location_;
    std::uint64_t transactions_ = 0;
    bool writing_ = false;
    std::vector<Pending*> pending_;
    friend class HeldWrites;
};

// An owner's held writes, sent or forgotten with each writer's transaction
// of `db` while this lives.
class HeldWrites {
  public:
    HeldWrites(Database& db, Database::Pending pending) : db_(db), pending_(std::move(pending)) {
        db_.pending_.push_back(&pending_);
    }
    ~HeldWrites() { std::erase(db_.pending_, &pending_); }
    HeldWrites(const HeldWrites&) = delete;
    HeldWrites& operator=(const HeldWrites&) = delete;

  private:
    Database& db_;
    Database::Pending pending_;
};

// A prepared statement, reused across runs: bind, step through the rows,
// and bind again (a statement that has run starts over at the next bind).
class Statement {
  public:
    Statement(Database& db, std::string_view sql) : cursor_(db.prepare(sql)) {}

    Statement& bind(int index, std::int64_t value) {
        cursor_->bind_int64(index, value);
        return *this;
    }
    Statement& bind(int index, int value) { return bind(index, std::int64_t{value}); }
    Statement& bind(int index, unsigned value) { return bind(index, std::int64_t{value}); }
    Statement& bind(int index, std::string_view value) {
        cursor_->bind_text(index, value, Lifetime::copied);
        return *this;
    }
    Statement& bind(int index, const std::string& value) {
        return bind(index, std::string_view(value));
    }
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind_blob(int index, std::span<const std::byte> value) {
        cursor_->bind_blob(index, value, Lifetime::copied);
        return *this;
    }
    Statement& bind_blob(int index, std::span<const unsigned char> value) {
        return bind_blob(index, std::as_bytes(value));
    }
    Statement& bind_null(int index) {
        cursor_->bind_null(index);
        return *this;
    }
    // Values the caller keeps unchanged until the statement has run or is
    // reset; the statement does not copy them.
    Statement& bind_borrowed(int index, std::string_view value) {
        cursor_->bind_text(index, value, Lifetime::borrowed);
        return *this;
    }
    Statement& bind_blob_borrowed(int index, std::span<const std::byte> value) {
        cursor_->bind_blob(index, value, Lifetime::borrowed);
        return *this;
    }

    // The next row; false after the last.
    bool step() { return cursor_->step(); }
    // Runs to the end; the rows it inserted, updated or deleted.
    std::int64_t exec() {
        while (cursor_->step()) {
        }
        return cursor_->changes();
    }
    // Runs an INSERT ... RETURNING id to its end: the new row's id, or
    // nothing when it stored no row (ON CONFLICT DO NOTHING). A write left
    // on its row would keep SQLite from committing.
    std::optional<std::int64_t> returning_id() {
        std::optional<std::int64_t> id;
        if (cursor_->step()) id = cursor_->int64(0);
        while (cursor_->step()) {
        }
        return id;
    }
    // Clears bindings and results; a statement left on a row keeps SQLite's
    // snapshot open until then.
    void reset() noexcept { cursor_->reset(); }

    int columns() const { return cursor_->columns(); }
    bool is_null(int column) const { return cursor_->is_null(column); }
    bool is_integer(int column) const { return cursor_->is_integer(column); }
    std::int64_t int64(int column) const { return cursor_->int64(column); }
    std::string_view text_view(int column) const { return cursor_->text(column); }
    std::string text(int column) const { return std::string(cursor_->text(column)); }
    std::span<const std::byte> blob(int column) const { return cursor_->blob(column); }

  private:
    std::unique_ptr<Cursor> cursor_;
};

// The statements that differ only in how many times one part repeats (an
// IN list, the rows of a VALUES table): `head`, then `part` n times between
// commas, then `tail`, each prepared the first time its n is asked for.
class RepeatedStatement {
  public:
    // Parts repeated in one statement at the most: PostgreSQL takes at most
    // 65,535 parameters, and a few dozen already make a round trip's cost small.
    static constexpr std::size_t most = 64;

    RepeatedStatement(Database& db, std::string head, std::string part, std::string tail)
        : db_(db), head_(std::move(head)), part_(std::move(part)), tail_(std::move(tail)) {}
    Statement& with(std::size_t n);

  private:
    Database& db_;
    std::string head_, part_, tail_;
    std::map<std::size_t, std::unique_ptr<Statement>> by_count_;
};

// What a writer read or wrote in its transaction, kept for the rest of it:
// no other writer can change it meanwhile. Outside a writer's transaction
// nothing is kept.
template <class T>
class WriterScoped {
  public:
    // The value kept in the writer's transaction open now, or null.
    T* get(const Database& db) {
        std::uint64_t open = db.write_transaction();
        return open != 0 && open == transaction_ ? &value_ : nullptr;
    }
    T& set(const Database& db, T value) {
        transaction_ = db.write_transaction();
        value_ = std::move(value);
        return value_;
    }

  private:
    std::uint64_t transaction_ = 0;
    T value_{};
};

// Resets a reused statement when the scope ends, also while unwinding.
struct Reset {
    Statement& statement;
    ~Reset() { statement.reset(); }
};

// Whether `table` of the store's own schema has `column`: for adding a
// column to a store made before it, as ALTER TABLE locks the table out even
// when it changes nothing.
bool has_column(Database& db, std::string_view table, std::string_view column);

// Rolls back when it ends without commit(), also while unwinding.
class Transaction {
  public:
    explicit Transaction(Database& db, TransactionKind kind = TransactionKind::write) : db_(db) {
        db_.begin(kind);
    }
    ~Transaction() {
        if (open_) db_.rollback();
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit() {
        db_.commit();
        open_ = false;
    }

  private:
    Database& db_;
    bool open_ = true;
};

}  // namespace fieldflow::store::sql
