#include "store/sql_postgres.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <string>
#include <vector>

namespace fieldflow::store::sql {

namespace {

// pg_type's oids of the values the store reads.
constexpr Oid bool_oid = 16, bytea_oid = 17, int8_oid = 20, int2_oid = 21, int4_oid = 23;

// Every writer of a store takes this lock for its transaction: any number
// fits, as long as every gateway and tool agrees on it.
constexpr const char* writer_lock = "SELECT pg_advisory_xact_lock(7306101446791684)";

using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

// libpq's messages end in a newline.
std::string trimmed(std::string message) {
    while (!message.empty() && std::isspace(static_cast<unsigned char>(message.back())))
        message.pop_back();
    return message;
}

std::string field(const PGresult* result, int code) {
    const char* text = PQresultErrorField(result, code);
    return text ? text : "";
}

// A failed result becomes an Error naming the statement it came from.
Result checked(PGconn* conn, PGresult* raw, const std::string& what) {
    Result result(raw, PQclear);
    auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
    std::string message =
        trimmed(result ? PQresultErrorMessage(result.get()) : PQerrorMessage(conn));
    throw Error(message + " in " + what, result ? field(result.get(), PG_DIAG_SQLSTATE) : "");
}

// The connection, and which session of it this is. When the server or the
// network went away, the next statement outside a transaction connects
// again (a gateway outlives a restart of its database), and statements
// prepared in the lost session are prepared again.
struct Session {
    PGconn* conn = nullptr;
    std::uint64_t number = 0;
    bool in_transaction = false;
    std::vector<std::string> settings;  // said again in every new session

    void ensure() {
        if (PQstatus(conn) == CONNECTION_OK || in_transaction) return;
        PQreset(conn);
        if (PQstatus(conn) != CONNECTION_OK) return;  // the statement fails and says why
        ++number;
        for (const auto& setting : settings) PQclear(PQexec(conn, setting.c_str()));
    }
};

// Whether a statement is a query (SELECT, or WITH ... SELECT).
bool reads(std::string_view sql) {
    auto first = sql.find_first_not_of(" \t\n");
    if (first == std::string_view::npos) return false;
    std::string word;
    for (char c : sql.substr(first, 6))
        word += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return word == "SELECT" || word.starts_with("WITH");
}

class PostgresCursor final : public Cursor {
  public:
    PostgresCursor(Session& session, std::string_view sql, std::uint64_t id)
        : session_(session),
          conn_(session.conn),
          sql_(numbered_parameters(sql)),
          name_("s" + std::to_string(id)),
          planned_each_run_(reads(sql_)) {
        // The highest $N names how many parameters there are.
        for (std::size_t at = sql_.find('$'); at != std::string::npos;
             at = sql_.find('$', at + 1)) {
            int n = 0;
            auto [end, ec] = std::from_chars(sql_.data() + at + 1, sql_.data() + sql_.size(), n);
            if (ec == std::errc() && end != sql_.data() + at + 1) params_ = std::max(params_, n);
        }
        values_.resize(params_);
        nulls_.assign(params_, true);
        binary_.assign(params_, 0);
    }
    ~PostgresCursor() override {
        // A connection in a failed transaction refuses this; the session's
        // end frees it then.
        if (prepared_ && prepared_in_ == session_.number)
            PQclear(PQexec(conn_, ("DEALLOCATE " + name_).c_str()));
    }
    PostgresCursor(const PostgresCursor&) = delete;
    PostgresCursor& operator=(const PostgresCursor&) = delete;

    void bind_int64(int index, std::int64_t value) override {
        set(index, std::to_string(value), false);
    }
    // Copied whatever the lifetime: libpq takes the values as one array.
    void bind_text(int index, std::string_view value, Lifetime) override {
        set(index, std::string(value), false);
    }
    void bind_blob(int index, std::span<const std::byte> value, Lifetime) override {
        set(index, std::string(reinterpret_cast<const char*>(value.data()), value.size()), true);
    }
    void bind_null(int index) override {
        slot(index);
        result_.reset();
        nulls_[index - 1] = true;
    }

    bool step() override {
        if (!result_) run();
        return ++row_ < PQntuples(result_.get());
    }
    std::int64_t changes() override {
        if (!result_) return 0;
        const char* text = PQcmdTuples(result_.get());
        return *text ? std::strtoll(text, nullptr, 10) : 0;
    }
    void reset() noexcept override {
        result_.reset();
        nulls_.assign(params_, true);
    }

    int columns() const override { return result_ ? PQnfields(result_.get()) : 0; }
    bool is_null(int column) const override {
        return PQgetisnull(result_.get(), row_, column) != 0;
    }
    bool is_integer(int column) const override {
        Oid type = PQftype(result_.get(), column);
        return !is_null(column) && (type == int8_oid || type == int4_oid || type == int2_oid);
    }
    std::int64_t int64(int column) const override {
        if (is_null(column)) return 0;
        std::string_view value = text(column);
        if (PQftype(result_.get(), column) == bool_oid) return value == "t" ? 1 : 0;
        std::int64_t n = 0;
        std::from_chars(value.data(), value.data() + value.size(), n);
        return n;
    }
    std::string_view text(int column) const override {
        return {PQgetvalue(result_.get(), row_, column),
                static_cast<std::size_t>(PQgetlength(result_.get(), row_, column))};
    }
    std::span<const std::byte> blob(int column) const override {
        if (is_null(column)) return {};
        if (PQftype(result_.get(), column) != bytea_oid)
            return std::as_bytes(std::span(text(column)));
        if (blobs_.size() <= static_cast<std::size_t>(column)) blobs_.resize(column + 1);
        auto& cached = blobs_[column];
        if (cached.row != row_ || cached.execution != executions_) {
            std::size_t size = 0;
            auto* bytes = PQunescapeBytea(
                reinterpret_cast<const unsigned char*>(PQgetvalue(result_.get(), row_, column)),
                &size);
            if (!bytes) throw Error("out of memory reading a blob", {});
            cached.bytes.assign(reinterpret_cast<std::byte*>(bytes),
                                reinterpret_cast<std::byte*>(bytes) + size);
            PQfreemem(bytes);
            cached.row = row_;
            cached.execution = executions_;
        }
        return cached.bytes;
    }

  private:
    void slot(int index) {
        if (index < 1 || index > params_)
            throw Error("parameter " + std::to_string(index) + " is not in " + sql_, {});
    }
    void set(int index, std::string value, bool binary) {
        slot(index);
        result_.reset();
        values_[index - 1] = std::move(value);
        nulls_[index - 1] = false;
        binary_[index - 1] = binary;
    }

    // A statement run once is sent whole; one run again is prepared on the
    // server first, so that it is planned once for all the runs after. A
    // query is not: the server's plan for all runs is made from the table
    // as it was then, and a gateway's lookups start on tables it then fills
    // (packs, seqs, check-ins), so a plan made on an empty table scans the
    // whole of it for every lookup from then on, until the next ANALYZE.
    void run() {
        std::vector<const char*> values(params_);
        std::vector<int> lengths(params_);
        for (int i = 0; i < params_; ++i) {
            values[i] = nulls_[i] ? nullptr : values_[i].data();
            lengths[i] = static_cast<int>(values_[i].size());
        }
        session_.ensure();
        if (prepared_ && prepared_in_ != session_.number) {
            prepared_ = false;
            runs_ = 1;  // prepare it again, in this session
        }
        if (runs_++ == 1 && !planned_each_run_) {
            checked(conn_, PQprepare(conn_, name_.c_str(), sql_.c_str(), params_, nullptr), sql_);
            prepared_ = true;
            prepared_in_ = session_.number;
        }
        PGresult* raw = prepared_ ? PQexecPrepared(conn_, name_.c_str(), params_, values.data(),
                                                   lengths.data(), binary_.data(), 0)
                                  : PQexecParams(conn_, sql_.c_str(), params_, nullptr,
                                                 values.data(), lengths.data(), binary_.data(), 0);
        ++executions_;
        result_ = checked(conn_, raw, sql_);
        row_ = -1;
    }

    // A blob unescaped from a row of one execution: a PGresult's address
    // may come back for a later one, the execution's number does not.
    struct Unescaped {
        std::uint64_t execution = 0;
        int row = -1;
        std::vector<std::byte> bytes;
    };

    Session& session_;
    PGconn* conn_;
    std::string sql_, name_;
    int params_ = 0;
    std::vector<std::string> values_;
    std::vector<bool> nulls_;
    std::vector<int> binary_;
    Result result_{nullptr, PQclear};
    int row_ = -1;
    int runs_ = 0;                  // since last prepared, or 0: whether to prepare now
    std::uint64_t executions_ = 0;  // every one, for the unescaped blobs
    bool prepared_ = false;
    bool planned_each_run_;
    std::uint64_t prepared_in_ = 0;
    mutable std::vector<Unescaped> blobs_;
};

class PostgresDatabase final : public Database {
  public:
    PostgresDatabase(const std::string& url, Access access, Durability durability)
        : Database(url), conn_(connect(url)), durability_(durability) {
        session_.conn = conn_;
        session_.settings.push_back("SET client_min_messages = warning");
        if (access == Access::read_only)
            session_.settings.push_back("SET default_transaction_read_only = on");
        if (durability == Durability::normal)
            session_.settings.push_back("SET synchronous_commit = off");
        for (const auto& setting : session_.settings) command(setting);
        if (access == Access::read_write) {
            begin(TransactionKind::write);
            exec(
                "CREATE TABLE IF NOT EXISTS store_commits (n BIGINT NOT NULL);"
                "INSERT INTO store_commits SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM store_commits);"
                "CREATE TABLE IF NOT EXISTS store_schema (version BIGINT NOT NULL);"
                "INSERT INTO store_schema SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM store_schema);"
                "CREATE TABLE IF NOT EXISTS store_syncs (backend BIGINT PRIMARY KEY, n BIGINT NOT "
                "NULL)");
            commit();
        }
    }
    ~PostgresDatabase() override {
        PQfinish(syncs_.conn);
        PQfinish(conn_);
    }

    Backend backend() const override { return Backend::postgresql; }

    void exec(std::string_view sql) override { command(postgresql_schema(sql)); }
    std::unique_ptr<Cursor> prepare(std::string_view sql) override {
        return std::make_unique<PostgresCursor>(session_, sql, ++statements_);
    }

    void open_transaction(TransactionKind kind) override {
        command(kind == TransactionKind::read ? "BEGIN ISOLATION LEVEL REPEATABLE READ"
                                              : std::string("BEGIN; ") + writer_lock);
        session_.in_transaction = true;
    }
    void commit_transaction() override {
        bool writer = write_transaction() != 0;
        // A writer's commit is counted for the other connections' others_commits().
        command(writer ? "UPDATE store_commits SET n = n + 1; COMMIT" : "COMMIT");
        session_.in_transaction = false;
        if (writer) ++own_commits_;
    }
    void rollback_transaction() noexcept override {
        session_.in_transaction = false;
        PQclear(PQexec(conn_, "ROLLBACK"));
    }

    std::int64_t schema_version() override {
        return query_int64("SELECT coalesce(max(version), 0) FROM store_schema");
    }
    void set_schema_version(std::int64_t version) override {
        exec("UPDATE store_schema SET version = " + std::to_string(version));
    }

    std::int64_t others_commits() override {
        return query_int64("SELECT coalesce(max(n), 0) FROM store_commits") - own_commits_;
    }

    bool copy_rows(std::string_view table, std::span<const std::string> columns, std::size_t rows,
                   const std::function<Value(std::size_t)>& value) override {
        std::string sql = "COPY " + std::string(table) + " (";
        for (std::size_t c = 0; c < columns.size(); ++c) sql += (c ? ", " : "") + columns[c];
        sql += ") FROM STDIN";
        copied_.clear();
        std::size_t width = columns.size();
        for (std::size_t i = 0; i < rows * width; ++i) {
            append_copy_value(copied_, value(i));
            copied_ += (i + 1) % width == 0 ? '\n' : '\t';
        }
        copy_in(sql, copied_);
        return true;
    }

    // A commit then returns once the server has written it to its WAL, not
    // flushed it: the writer's lock is free for the next group (this
    // gateway's or another's) while the disk catches up, as SQLite's
    // deferred syncs let its committer go on.
    bool defer_syncs() override {
        if (durability_ != Durability::full) return false;
        syncs_.conn = connect(location());
        // Said outright: a server whose default is off would leave sync()
        // flushing nothing.
        syncs_.settings = {"SET client_min_messages = warning", "SET synchronous_commit = on"};
        for (const auto& setting : syncs_.settings) command(syncs_, setting);
        // The rows of server processes that are gone: a live one's row,
        // whichever gateway's, is never touched here.
        command(syncs_,
                "DELETE FROM store_syncs WHERE backend NOT IN (SELECT pid FROM pg_stat_activity)");
        session_.settings.emplace_back("SET synchronous_commit = off");
        command(session_, session_.settings.back());
        return true;
    }
    // A client cannot ask the server to flush its WAL up to a point, but a
    // synchronous commit flushes everything written before its own commit
    // record, which comes after every commit that returned before this
    // began. Only a transaction that wrote something waits for the flush,
    // so each connection bumps a row of its own: no two syncs (of this or
    // another gateway) wait for each other's row.
    void sync() override {
        if (!syncs_.conn) return;
        command(syncs_,
                "INSERT INTO store_syncs VALUES (pg_backend_pid(), 1) "
                "ON CONFLICT (backend) DO UPDATE SET n = store_syncs.n + 1");
    }

  private:
    static PGconn* connect(const std::string& url) {
        PGconn* conn = PQconnectdb(url.c_str());
        if (!conn || PQstatus(conn) != CONNECTION_OK) {
            std::string message = trimmed(conn ? PQerrorMessage(conn) : "out of memory");
            PQfinish(conn);
            throw Error("cannot connect to " + shown(url) + ": " + message, "08001");
        }
        // CREATE ... IF NOT EXISTS says NOTICE for every table that exists.
        PQsetNoticeProcessor(
            conn, [](void*, const char*) {}, nullptr);
        return conn;
    }
    static void command(Session& session, const std::string& sql) {
        session.ensure();
        checked(session.conn, PQexec(session.conn, sql.c_str()), sql);
    }

    // Statements as they are, outside any schema: transaction control and
    // settings, on the hot path of every group commit.
    void command(const std::string& sql) { command(session_, sql); }

    // Sends `data` as the input of the COPY ... FROM STDIN `sql`.
    void copy_in(const std::string& sql, std::string_view data) {
        session_.ensure();
        Result started(PQexec(conn_, sql.c_str()), PQclear);
        if (!started || PQresultStatus(started.get()) != PGRES_COPY_IN) {
            checked(conn_, started.release(), sql);
            throw Error("the server began no COPY for " + sql, {});
        }
        // A failed send surfaces as the COPY's result below.
        constexpr std::size_t most = 1 << 20;  // libpq takes an int's worth a call
        for (std::size_t at = 0; at < data.size(); at += most)
            if (PQputCopyData(conn_, data.data() + at,
                              static_cast<int>(std::min(most, data.size() - at))) != 1)
                break;
        PQputCopyEnd(conn_, nullptr);
        Result ended(PQgetResult(conn_), PQclear);
        while (PGresult* more = PQgetResult(conn_)) PQclear(more);
        checked(conn_, ended.release(), sql);
    }

    PGconn* conn_;
    Durability durability_;
    Session session_;
    Session syncs_;       // sync()'s own connection, once syncs are deferred
    std::string copied_;  // the rows of the last copy_rows, its capacity kept
    std::uint64_t statements_ = 0;
    std::int64_t own_commits_ = 0;
};

bool word_at(std::string_view text, std::size_t at, std::string_view word) {
    if (text.substr(at, word.size()) != word) return false;
    auto is_name = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    bool before = at == 0 || !is_name(text[at - 1]);
    bool after = at + word.size() >= text.size() || !is_name(text[at + word.size()]);
    return before && after;
}

}  // namespace

void append_copy_value(std::string& out, const Value& value) {
    switch (value.kind) {
        case Value::Kind::null:
            out += "\\N";
            return;
        case Value::Kind::integer: {
            char digits[24];
            auto [end, ec] = std::to_chars(std::begin(digits), std::end(digits), value.integer);
            out.append(std::begin(digits), end);
            return;
        }
        case Value::Kind::text:
            for (std::byte b : value.bytes) {
                char c = static_cast<char>(b);
                switch (c) {
                    case '\\':
                        out += "\\\\";
                        break;
                    case '\t':
                        out += "\\t";
                        break;
                    case '\n':
                        out += "\\n";
                        break;
                    case '\r':
                        out += "\\r";
                        break;
                    default:
                        out += c;
                }
            }
            return;
        case Value::Kind::blob: {
            // bytea's input \x and hex digits, the backslash doubled for COPY.
            static constexpr char hex[] = "0123456789abcdef";
            out += "\\\\x";
            for (std::byte b : value.bytes) {
                auto v = std::to_integer<unsigned>(b);
                out += hex[v >> 4];
                out += hex[v & 15];
            }
            return;
        }
    }
}

std::string numbered_parameters(std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + 8);
    int next = 0;
    char quote = 0;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        char c = sql[i];
        if (quote) {
            if (c == quote) quote = 0;
            out += c;
        } else if (c == '\'' || c == '"') {
            quote = c;
            out += c;
        } else if (c == '?') {
            out += '$';
            if (i + 1 < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
                while (i + 1 < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i + 1])))
                    out += sql[++i];
            } else {
                out += std::to_string(++next);
            }
        } else {
            out += c;
        }
    }
    return out;
}

std::string postgresql_schema(std::string_view sql) {
    static constexpr std::pair<std::string_view, std::string_view> words[] = {
        {"{rowid}", "rowid BIGINT GENERATED ALWAYS AS IDENTITY,"},
        {"INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
        {"INTEGER", "BIGINT"},
        {"BLOB", "BYTEA"},
    };
    std::string out;
    out.reserve(sql.size() + 64);
    char quote = 0;
    for (std::size_t i = 0; i < sql.size();) {
        char c = sql[i];
        if (quote || c == '\'') {
            if (quote && c == quote)
                quote = 0;
            else if (!quote)
                quote = c;
            out += c;
            ++i;
            continue;
        }
        bool replaced = false;
        for (auto [from, to] : words) {
            bool matches =
                from.front() == '{' ? sql.substr(i, from.size()) == from : word_at(sql, i, from);
            if (matches) {
                out += to;
                i += from.size();
                replaced = true;
                break;
            }
        }
        if (!replaced) out += sql[i++];
    }
    return out;
}

std::unique_ptr<Database> open_postgresql(const std::string& url, Access access,
                                          Durability durability) {
    return std::make_unique<PostgresDatabase>(url, access, durability);
}

}  // namespace fieldflow::store::sql
