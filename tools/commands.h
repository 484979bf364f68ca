#pragma once
// The operator CLI's subcommands. Each takes its own arguments (after the
// subcommand's name) and returns the process exit code.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/master_data.h"

namespace fieldflow::tools {

using Args = std::vector<std::string>;

int records_command(const Args& args);
int summary_command(const Args& args);
int masterdata_command(const Args& args);
int decode_command(const Args& args);
int import_command(const Args& args);
int ledger_command(const Args& args);
int anomalies_command(const Args& args);
int period_command(const Args& args);
int flows_command(const Args& args);
int demo_data_command(const Args& args);
int effectiveness_command(const Args& args);
int device_command(const Args& args);
int operator_command(const Args& args);
int audit_command(const Args& args);
int loadgen_command(const Args& args);

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

// The --master folder of a command that judges against master data: empty,
// after saying why on stderr, when it is missing. Rows the loader skipped
// are listed on stderr as warnings.
std::optional<core::MasterData> master_data(const char* command, const Flags& flags);

// Master data for demonstrations and tests: ten products, `terminals`
// terminals over six districts of Shanghai and Zhejiang, five distributors
// (D01–D03 tier 1, D04–D05 tier 2) and `reps` reps.
void write_sample_master_data(const std::filesystem::path& dir, unsigned seed, unsigned terminals,
                              unsigned reps);

// A flag that must be a whole number from 1 to limit: `out` is left alone when
// the flag is absent; false, after saying why, when it is not such a number.
bool positive_flag(const char* command, const Flags& flags, const char* name, unsigned& out,
                   unsigned limit = 100'000'000);

// Who is acting: --by, else the login name.
std::string operator_name(const Flags& flags);

// A required --period YYYY-MM: empty after saying why when missing or malformed.
std::optional<core::Period> period_flag(const char* command, const Flags& flags,
                                        bool required = true, bool* given = nullptr);

}  // namespace fieldflow::tools
