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

}  // namespace fieldflow::tools
