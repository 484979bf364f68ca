// fieldflow backup / restore: a consistent copy of a SQLite store while a
// gateway writes to it, and that copy put back in place of a store no
// gateway has open.
//
// The copy is SQLite's online backup (SQLiteCpp's Backup), a few hundred
// pages a step. On a store in WAL mode, as the gateway keeps it, the copy
// holds one read transaction from the first step to the last: every step
// reads the same snapshot, so writers are never stopped (a WAL reader
// blocks no one) and the copy never starts over because a commit landed
// between steps. Only the checkpointer waits, and the WAL grows meanwhile.
// A store in rollback-journal mode is copied step by step, each step a
// short shared lock, and SQLite starts the copy over when a commit lands.

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include "store/sql.h"
#include "tools/backup_command.h"

namespace fieldflow::tools {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

bool refuse_postgresql(const std::string& db, const char* command) {
    if (!store::sql::is_postgresql(db)) return false;
    std::cerr << command << ": " << store::sql::shown(db)
              << " is a PostgreSQL store: back it up with pg_dump or a base backup "
                 "(docs/operations.md, \"Backups\")\n";
    return true;
}

// "ok", or what SQLite's quick check found first.
std::string quick_check(SQLite::Database& db) {
    SQLite::Statement check(db, "PRAGMA quick_check");
    if (!check.executeStep()) return "no answer";
    return check.getColumn(0).getString();
}

void sync_file(const fs::path& path) {
    if (FILE* file = std::fopen(path.c_str(), "r+b")) {
        ::fsync(fileno(file));
        std::fclose(file);
    }
}

}  // namespace

int backup_command(const BackupOptions& o) {
    if (refuse_postgresql(o.db, "backup")) return 2;
    if (!fs::is_regular_file(o.db)) {
        std::cerr << "backup: no store at " << o.db << "\n";
        return 2;
    }
    if (fs::exists(o.out)) {
        std::cerr << "backup: " << o.out
                  << " exists; name a new file (a backup never overwrites one)\n";
        return 2;
    }
    // Written beside the target and renamed when whole: a file named
    // --out is always a finished copy.
    fs::path partial = o.out + ".partial";
    fs::remove(partial);
    try {
        SQLite::Database source(o.db, SQLite::OPEN_READONLY);
        source.setBusyTimeout(10'000);
        SQLite::Statement mode(source, "PRAGMA journal_mode");
        mode.executeStep();
        bool wal = mode.getColumn(0).getString() == "wal";
        mode.reset();

        auto started = Clock::now();
        Clock::duration longest{};
        int steps = 0, total = 0;
        {
            SQLite::Database copy(partial.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            // One snapshot for every step (see the top of the file).
            std::optional<SQLite::Transaction> snapshot;
            if (wal) {
                snapshot.emplace(source);
                source.exec("SELECT count(*) FROM sqlite_schema");
            }
            SQLite::Backup backup(copy, source);
            for (;;) {
                auto step_started = Clock::now();
                int rc = backup.executeStep(static_cast<int>(o.pages_per_step));
                longest = std::max(longest, Clock::now() - step_started);
                ++steps;
                total = backup.getTotalPageCount();
                if (rc == SQLITE_DONE) break;
                // Between steps the store is free for the gateway's writers.
                std::this_thread::sleep_for(std::chrono::milliseconds(o.pause_ms));
            }
            if (snapshot) snapshot.reset();  // rolls back: it only read
            auto verdict = quick_check(copy);
            if (verdict != "ok") {
                std::cerr << "backup: the copy failed SQLite's check: " << verdict << "\n";
                fs::remove(partial);
                return 1;
            }
        }
        sync_file(partial);
        fs::rename(partial, o.out);
        auto ms = [](Clock::duration d) {
            return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
        };
        std::cout << "backup " << o.out << ": " << total << " pages in " << steps
                  << " steps, longest step " << ms(longest) << " ms, " << ms(Clock::now() - started)
                  << " ms in all"
                  << (wal ? "" : " (rollback journal: writers waited during each step)") << "\n"
                  << "check it with: fieldflow audit verify --db " << o.out << "\n";
        return 0;
    } catch (const std::exception& e) {
        fs::remove(partial);
        std::cerr << "backup: " << o.db << " to " << o.out << ": " << e.what() << "\n";
        return 1;
    }
}

int restore_command(const RestoreOptions& o) {
    if (refuse_postgresql(o.db, "restore")) return 2;
    if (!fs::is_regular_file(o.from)) {
        std::cerr << "restore: no backup at " << o.from << "\n";
        return 2;
    }
    try {
        SQLite::Database backup(o.from, SQLite::OPEN_READONLY);
        auto verdict = quick_check(backup);
        if (verdict != "ok") {
            std::cerr << "restore: " << o.from << " failed SQLite's check: " << verdict
                      << "; nothing restored\n";
            return 1;
        }
        bool existed = fs::exists(o.db);
        if (existed && !o.replace) {
            std::cerr << "restore: " << o.db
                      << " exists; add --replace to put the backup in its place (the store "
                         "there is kept as "
                      << o.db << ".before-restore)\n";
            return 2;
        }
        SQLite::Database target(o.db, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        // Exclusive for the whole restore; refused while any process, a
        // gateway above all, has the store open (in WAL mode each holds it).
        target.exec("PRAGMA locking_mode = EXCLUSIVE");
        try {
            target.exec("BEGIN EXCLUSIVE");
            target.exec("SELECT count(*) FROM sqlite_schema");
            target.exec("COMMIT");
        } catch (const SQLite::Exception&) {
            std::cerr << "restore: " << o.db
                      << " is open in another process, a running gateway perhaps: stop it "
                         "first (systemctl stop fieldflow-gateway), then restore\n";
            return 1;
        }
        if (existed) {
            std::string kept = o.db + ".before-restore";
            if (fs::exists(kept)) {
                std::cerr << "restore: " << kept
                          << " exists from an earlier restore; move it away first\n";
                return 2;
            }
            SQLite::Database old_copy(kept, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            SQLite::Backup(old_copy, target).executeStep();
            std::cout << "the store that was there is kept as " << kept << "\n";
        }
        SQLite::Backup(target, backup).executeStep();
        std::cout << "restored " << o.db << " from " << o.from << "\n"
                  << "check it with: fieldflow audit verify --db " << o.db << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "restore: " << o.from << " to " << o.db << ": " << e.what() << "\n";
        return 1;
    }
}

}  // namespace fieldflow::tools
