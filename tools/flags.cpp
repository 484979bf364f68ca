#include <algorithm>
#include <filesystem>
#include <iostream>

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
        std::cerr << "fieldflow " << command << ": --db FILE is required\n";
        return {};
    }
    if (!std::filesystem::exists(*db)) {
        std::cerr << "fieldflow " << command << ": no store at " << *db << '\n';
        return {};
    }
    return *db;
}

}  // namespace fieldflow::tools
