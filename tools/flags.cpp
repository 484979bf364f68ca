#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "store/sql.h"
#include "tools/commands.h"

namespace fieldflow::tools {

const std::string* Flags::get(const std::string& name) const {
    for (const auto& [key, value] : values)
        if (key == name) return &value;
    return nullptr;
}

Flags parse_flags(const char* command, const Args& args, const std::vector<std::string>& allowed) {
    Flags flags;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        std::string name = arg.rfind("--", 0) == 0 ? arg.substr(2) : std::string();
        if (name.empty() || std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
            std::cerr << "fieldflow " << command << ": unknown argument \"" << arg << "\"\n";
            flags.ok = false;
            return flags;
        }
        if (i + 1 >= args.size()) {
            std::cerr << "fieldflow " << command << ": " << arg << " needs a value\n";
            flags.ok = false;
            return flags;
        }
        flags.values.emplace_back(name, args[++i]);
    }
    return flags;
}

std::string existing_store(const char* command, const Flags& flags) {
    const std::string* db = flags.get("db");
    if (!db) {
        std::cerr << "fieldflow " << command << ": --db FILE (or postgresql://...) is required\n";
        return {};
    }
    // A PostgreSQL server says itself whether it has the database.
    if (!store::sql::is_postgresql(*db) && !std::filesystem::exists(*db)) {
        std::cerr << "fieldflow " << command << ": no store at " << *db << '\n';
        return {};
    }
    return *db;
}

bool positive_flag(const char* command, const Flags& flags, const char* name, unsigned& out,
                   unsigned limit) {
    const std::string* text = flags.get(name);
    if (!text) return true;
    try {
        std::size_t end = 0;
        long long v = std::stoll(*text, &end);
        if (end == text->size() && v > 0 && v <= limit) {
            out = static_cast<unsigned>(v);
            return true;
        }
    } catch (const std::exception&) {
    }
    std::cerr << "fieldflow " << command << ": --" << name << " expects a whole number from 1 to "
              << limit << ", got \"" << *text << "\"\n";
    return false;
}

std::string operator_name(const Flags& flags) {
    if (const std::string* by = flags.get("by")) return *by;
    const char* user = std::getenv("USER");
    return user && *user ? user : "operator";
}

std::optional<core::MasterData> master_data(const char* command, const Flags& flags) {
    const std::string* dir = flags.get("master");
    if (!dir) {
        std::cerr << "fieldflow " << command << ": --master DIR is required\n";
        return std::nullopt;
    }
    if (!std::filesystem::is_directory(*dir)) {
        std::cerr << "fieldflow " << command << ": no master data folder at " << *dir << '\n';
        return std::nullopt;
    }
    auto load = core::load_master_data(*dir);
    for (const auto& e : load.errors)
        std::cerr << "fieldflow " << command << ": warning: " << e.file << ':' << e.line << ": "
                  << e.message << '\n';
    return std::move(load.data);
}

std::optional<core::Period> period_flag(const char* command, const Flags& flags, bool required,
                                        bool* given) {
    const std::string* text = flags.get("period");
    if (given) *given = text != nullptr;
    if (!text) {
        if (required) std::cerr << "fieldflow " << command << ": --period YYYY-MM is required\n";
        return std::nullopt;
    }
    auto period = core::parse_period(*text);
    if (!period)
        std::cerr << "fieldflow " << command << ": --period is a month, YYYY-MM, not \"" << *text
                  << "\"\n";
    return period;
}

}  // namespace fieldflow::tools
