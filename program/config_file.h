#pragma once
// A service's config file (--config FILE: /etc/fieldflow/gateway.toml for
// the gateway, /etc/fieldflow/agent.toml for the handheld's `serve`): TOML
// whose keys are the long flags' own names without the dashes
// (`listen = "0.0.0.0:7700"`, `max-connections = 2000`), read by toml++ and
// handed to CLI11 as if each key were its flag. So every flag is a key the
// day it is added, a value is checked by the flag's own validator, and a
// flag on the command line overrides the file (CLI11's rule for config
// files). toml++ rather than CLI11's own TOML-ish reader: it reads real
// TOML (escapes, multi-line strings, arrays of any shape) and knows the
// line of every key, so a mistake is reported where it is.

#include <CLI/CLI.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fieldflow::program {

class TomlConfig : public CLI::Config {
  public:
    // `keys` (the program, or the command whose settings the file holds) is
    // asked which keys exist: any other key is refused with its line. The
    // program itself owns --config: CLI11 reads config files for the
    // program only, and hands a command's keys to that command.
    explicit TomlConfig(const CLI::App& keys) : keys_(keys) {}

    std::vector<CLI::ConfigItem> from_config(std::istream& input) const override;
    std::string to_config(const CLI::App* app, bool default_also, bool write_description,
                          std::string prefix) const override;

    // Where a refusal of CLI11's about a flag came from, when its value was
    // the file's: "/etc/fieldflow/gateway.toml line 12, key max-connections". Empty when
    // the message names no key the file set.
    std::string where(const std::string& message) const;

    // The file --config named, empty when none was.
    std::string file() const;

  private:
    const CLI::App& keys_;
    mutable std::string file_;
    // Key -> line of the keys whose values were taken, from the file last
    // read (from_config is const in CLI11).
    mutable std::map<std::string, std::size_t> lines_;
};

// --check-config FILE reads FILE as --config would and reports instead of
// running: the arguments with that one flag renamed to --config, or nullopt
// when it is not among them.
std::optional<std::vector<std::string>> as_config_check(int argc, const char* const* argv);

// Parses the arguments as_config_check() made with `app` (the program; the
// config file may belong to one of its commands, the one `config` was made
// for) and says on stdout "FILE: valid", or on stderr what is wrong and
// where. Returns the exit code: 0 valid, 1 not.
int check_config(CLI::App& app, const TomlConfig& config, const std::vector<std::string>& args);

}  // namespace fieldflow::program
