#pragma once
// fieldflow backup and restore of a SQLite store (tools/backup_command.cpp
// says how the copy keeps the gateway's writers going).

#include <string>

namespace fieldflow::tools {

struct BackupOptions {
    std::string db, out;
    unsigned pages_per_step = 256;
    unsigned pause_ms = 2;  // between steps: the store is the writers' then
};
int backup_command(const BackupOptions& o);

struct RestoreOptions {
    std::string from, db;
    bool replace = false;  // an existing store is kept as DB.before-restore
};
int restore_command(const RestoreOptions& o);

}  // namespace fieldflow::tools
