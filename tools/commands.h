#pragma once
// The operator CLI's subcommands. Each takes its own arguments (after the
// subcommand's name) and returns the process exit code.

#include <string>
#include <vector>

namespace fieldflow::tools {

using Args = std::vector<std::string>;

int records_command(const Args& args);
int summary_command(const Args& args);
int masterdata_command(const Args& args);
int decode_command(const Args& args);

// "--name value" pairs; an unknown flag or a flag without a value is
// reported on stderr and leaves `ok` false.
struct Flags {
    bool ok = true;
    std::vector<std::pair<std::string, std::string>> values;
    const std::string* get(const std::string& name) const;
};
Flags parse_flags(const char* command, const Args& args, const std::vector<std::string>& allowed);

// The --db value of a command that reads the gateway's store: empty, after
// saying why on stderr, when it is missing or names no file.
std::string existing_store(const char* command, const Flags& flags);

}  // namespace fieldflow::tools
