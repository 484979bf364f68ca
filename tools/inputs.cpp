// What several commands read the same way: the gateway's store, the master
// data folder and who is acting.

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "store/sql.h"
#include "tools/commands.h"

namespace fieldflow::tools {

bool existing_store(const char* command, const std::string& db) {
    // A PostgreSQL server says itself whether it has the database.
    if (store::sql::is_postgresql(db) || std::filesystem::exists(db)) return true;
    std::cerr << "fieldflow " << command << ": no store at " << db << '\n';
    return false;
}

std::string operator_name(const std::string& by) {
    if (!by.empty()) return by;
    const char* user = std::getenv("USER");
    return user && *user ? user : "operator";
}

std::optional<core::MasterData> master_data(const char* command, const std::string& dir) {
    if (!std::filesystem::is_directory(dir)) {
        std::cerr << "fieldflow " << command << ": no master data folder at " << dir << '\n';
        return std::nullopt;
    }
    auto load = core::load_master_data(dir);
    for (const auto& e : load.errors)
        std::cerr << "fieldflow " << command << ": warning: " << e.file << ':' << e.line << ": "
                  << e.message << '\n';
    return std::move(load.data);
}

}  // namespace fieldflow::tools
