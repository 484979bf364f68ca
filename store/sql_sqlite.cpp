#include "store/sql_sqlite.h"

#include "store/wal_checkpointer.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace fieldflow::store::sql {

namespace {

[[noreturn]] void fail(sqlite3* db, const std::string& context) {
    throw Error(context + ": " + sqlite3_errmsg(db), std::to_string(sqlite3_extended_errcode(db)));
}

// Reading ten million rows goes through here: no copies, no allocations.
class SqliteCursor final : public Cursor {
  public:
    SqliteCursor(sqlite3* db, std::string_view sql) : db_(db) {
        if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                               SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK)
            fail(db, "cannot prepare " + std::string(sql));
    }
    ~SqliteCursor() override { sqlite3_finalize(stmt_); }
    SqliteCursor(const SqliteCursor&) = delete;
    SqliteCursor& operator=(const SqliteCursor&) = delete;

    void bind_int64(int index, std::int64_t value) override {
        check(sqlite3_bind_int64(ready(), index, value));
    }
    // A null pointer would bind NULL: empty text and an empty blob are
    // still text and a blob, however their view was made.
    static constexpr char empty = 0;
    void bind_text(int index, std::string_view value, Lifetime lifetime) override {
        const char* data = value.empty() ? &empty : value.data();
        check(sqlite3_bind_text(ready(), index, data, static_cast<int>(value.size()),
                                destructor(lifetime)));
    }
    void bind_blob(int index, std::span<const std::byte> value, Lifetime lifetime) override {
        const void* data = value.empty() ? static_cast<const void*>(&empty) : value.data();
        check(sqlite3_bind_blob(ready(), index, data, static_cast<int>(value.size()),
                                destructor(lifetime)));
    }
    void bind_null(int index) override { check(sqlite3_bind_null(ready(), index)); }

    bool step() override {
        if (done_) return false;
        running_ = true;
        int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) {
            changes_ = sqlite3_changes64(db_);
            done_ = true;
            sqlite3_reset(stmt_);  // lets go of the snapshot at once
            return false;
        }
        std::string message = sqlite3_errmsg(db_);
        auto code = std::to_string(sqlite3_extended_errcode(db_));
        sqlite3_reset(stmt_);
        done_ = true;
        throw Error(message + " in " + sqlite3_sql(stmt_), code);
    }
    std::int64_t changes() override { return changes_; }
    void reset() noexcept override {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
        running_ = done_ = false;
    }

    int columns() const override { return sqlite3_column_count(stmt_); }
    bool is_null(int column) const override {
        return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
    }
    bool is_integer(int column) const override {
        return sqlite3_column_type(stmt_, column) == SQLITE_INTEGER;
    }
    std::int64_t int64(int column) const override { return sqlite3_column_int64(stmt_, column); }
    std::string_view text(int column) const override {
        auto data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
        if (!data) return {};
        return {data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
    }
    std::span<const std::byte> blob(int column) const override {
        auto data = static_cast<const std::byte*>(sqlite3_column_blob(stmt_, column));
        if (!data) return {};
        return {data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
    }

  private:
    static sqlite3_destructor_type destructor(Lifetime lifetime) {
        return lifetime == Lifetime::borrowed ? SQLITE_STATIC : SQLITE_TRANSIENT;
    }
    // A statement that has run starts over when it is bound again.
    sqlite3_stmt* ready() {
        if (running_ || done_) {
            sqlite3_reset(stmt_);
            running_ = done_ = false;
        }
        return stmt_;
    }
    void check(int rc) {
        if (rc != SQLITE_OK)
            fail(db_, "cannot bind a parameter of " + std::string(sqlite3_sql(stmt_)));
    }

    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
    bool running_ = false, done_ = false;
    std::int64_t changes_ = 0;
};

std::string without_rowid_marks(std::string_view sql) {
    std::string out(sql);
    for (auto at = out.find("{rowid}"); at != std::string::npos; at = out.find("{rowid}", at))
        out.erase(at, 7);
    return out;
}

// How long a connection waits for another's lock before answering busy.
constexpr std::chrono::milliseconds busy_wait{10'000};

class SqliteDatabase final : public Database {
  public:
    SqliteDatabase(const std::string& path, Access access, Durability durability)
        : Database(path), durability_(durability) {
        int flags = access == Access::read_only ? SQLITE_OPEN_READONLY
                                                : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        if (sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr) !=
            SQLITE_OK) {
            std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            throw Error("cannot open " + path + ": " + message, {});
        }
        sqlite3_extended_result_codes(db_, 1);
        sqlite3_busy_timeout(db_, static_cast<int>(busy_wait.count()));
        if (access == Access::read_write) {
            enter_wal();
            // FULL syncs the WAL on every commit, so an acked record survives
            // power loss; NORMAL survives a crashed process, not a crashed machine.
            exec(durability == Durability::full ? "PRAGMA synchronous = FULL"
                                                : "PRAGMA synchronous = NORMAL");
            // A transaction's changed pages stay in memory up to 64 MiB
            // (at 4 KiB a page) instead of spilling into the WAL once the
            // 2 MiB cache is full: a group commit of 200 batches changes
            // about 10 MiB, and every spill is a second write of its pages.
            exec("PRAGMA cache_spill = 16384");
            // The page cache stays at its default 2 MiB (an import sets its
            // own, DistributionStore). A larger one costs more than it saves
            // while the file is under 1 GiB: when a split leaves new index
            // pages out of order, SQLite 3.40 swaps their numbers through the
            // lock-byte page's (balance_nonroot), which leaves the cache's
            // highest key past the file, and then the commit walks the whole
            // cache to drop pages past the end (pcache1TruncateUnsafe).
            // Random pack identities split a page in nearly every commit.
            // With 32 MiB the gateway committed a fifth fewer records a
            // second up to 200,000 records, and 3 % more only once the file
            // passed 1 GiB, some 2.5 million records in.
        }
        exec("PRAGMA foreign_keys = ON");
    }
    ~SqliteDatabase() override {
        if (checkpointer_) sqlite3_wal_hook(db_, nullptr, nullptr);  // nothing wakes it now
        checkpointer_.reset();
        kept_.clear();  // finalized before the connection closes
        sqlite3_close_v2(db_);
        if (wal_fd_ >= 0) ::close(wal_fd_);
    }

    Backend backend() const override { return Backend::sqlite; }

    // Turning a new file to WAL takes its write lock after a read lock.
    // When gateways started together all hold the read lock and want the
    // write lock, SQLite answers BUSY at once instead of waiting (waiting
    // would deadlock them), so the wait is here, within the busy timeout.
    void enter_wal() {
        auto give_up = std::chrono::steady_clock::now() + busy_wait;
        for (;;) {
            try {
                exec("PRAGMA journal_mode = WAL");
                return;
            } catch (const Error& e) {
                if (!e.busy() || std::chrono::steady_clock::now() > give_up) throw;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }

    void exec(std::string_view sql) override {
        char* message = nullptr;
        std::string text = without_rowid_marks(sql);
        if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
            std::string what = message ? message : sqlite3_errmsg(db_);
            sqlite3_free(message);
            throw Error(what + " in " + text, std::to_string(sqlite3_extended_errcode(db_)));
        }
    }
    std::unique_ptr<Cursor> prepare(std::string_view sql) override {
        return std::make_unique<SqliteCursor>(db_, sql);
    }

    void open_transaction(TransactionKind kind) override {
        run_kept(kind == TransactionKind::write ? "BEGIN IMMEDIATE" : "BEGIN");
    }
    void commit_transaction() override { run_kept("COMMIT"); }
    void rollback_transaction() noexcept override {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }

    std::int64_t schema_version() override { return query_int64("PRAGMA user_version"); }
    void set_schema_version(std::int64_t version) override {
        exec("PRAGMA user_version = " + std::to_string(version));
    }

    std::int64_t others_commits() override { return run_kept("PRAGMA data_version"); }

    // Up to the file's first GiB: address space, not memory of the
    // process's own; the kernel keeps and drops the pages as it does any
    // file's cached pages.
    void map_for_reading() override { exec("PRAGMA mmap_size = 1073741824"); }

    void checkpoint_in_background(std::function<void(const std::string&)> warn) override {
        if (checkpointer_) return;
        checkpointer_ = std::make_unique<WalCheckpointer>(location(), durability_, std::move(warn));
        // Replaces the autocheckpoint hook, whose size it keeps for the
        // background pass. Commits that come faster than passes keep the WAL
        // from starting over, so past 32 times that size (125 MiB at 4 KiB
        // a page) the writer waits for the pass under way and copies the
        // rest itself, as autocheckpoints do: the WAL stays bounded whatever
        // the load. Then the committer's thread waits for the disk, as it
        // syncs the WAL and the database and, at the next commit, the
        // log's new header: with a bound of 8 times, it did so four times
        // as often.
        sqlite3_wal_hook(
            db_,
            [](void* self, sqlite3* db, const char* name, int pages) {
                auto& checkpointer = *static_cast<SqliteDatabase*>(self)->checkpointer_;
                if (pages >= 32000) {
                    checkpointer.wait_idle();
                    sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                              nullptr);
                } else if (pages >= 1000) {
                    checkpointer.due();
                }
                return SQLITE_OK;
            },
            this);
    }

    // Under WAL with synchronous NORMAL a commit writes its frames to the
    // WAL file and does not sync it; syncing that file afterwards gives
    // what FULL gives. A checkpoint syncs the WAL before it copies frames
    // and the database after, so frames are never overwritten before they
    // are durable in one place or the other.
    bool defer_syncs() override {
        if (durability_ != Durability::full) return false;
        exec("PRAGMA synchronous = NORMAL");
        deferred_ = true;
        return true;
    }
    void sync() override {
        if (!deferred_) return;
        std::lock_guard lock(wal_mutex_);
        std::string wal = location() + "-wal";
        // The WAL is there from the first commit on and stays while this
        // connection is open; should it ever be made anew, the new file is
        // the one to sync.
        struct stat now {
        }, held{};
        if (::stat(wal.c_str(), &now) != 0) {
            if (errno == ENOENT) return;  // nothing committed yet
            throw Error("cannot find " + wal + ": " + std::strerror(errno), {});
        }
        if (wal_fd_ >= 0 && (::fstat(wal_fd_, &held) != 0 || held.st_ino != now.st_ino ||
                             held.st_dev != now.st_dev)) {
            ::close(wal_fd_);
            wal_fd_ = -1;
        }
        if (wal_fd_ < 0 && (wal_fd_ = ::open(wal.c_str(), O_RDONLY | O_CLOEXEC)) < 0)
            throw Error("cannot open " + wal + ": " + std::strerror(errno), {});
        if (::fdatasync(wal_fd_) != 0)
            throw Error("cannot sync " + wal + ": " + std::strerror(errno), {});
    }

  private:
    // The statements every group commit runs, prepared once: preparing
    // one again costs about what running it does. The first column of its
    // row, when it has one.
    std::int64_t run_kept(const char* sql) {
        auto& kept = kept_[sql];
        if (!kept) kept = std::make_unique<SqliteCursor>(db_, sql);
        kept->reset();
        std::int64_t value = kept->step() ? kept->int64(0) : 0;
        kept->reset();  // a row read leaves the statement running until then
        return value;
    }

    sqlite3* db_ = nullptr;
    // By the literal run_kept() was given.
    std::map<const char*, std::unique_ptr<SqliteCursor>> kept_;
    Durability durability_;
    std::unique_ptr<WalCheckpointer> checkpointer_;
    bool deferred_ = false;
    std::mutex wal_mutex_;
    int wal_fd_ = -1;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path, Access access,
                                      Durability durability) {
    return std::make_unique<SqliteDatabase>(path, access, durability);
}

}  // namespace fieldflow::store::sql
