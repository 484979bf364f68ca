#pragma once
// The gateway's config file (/etc/fieldflow/gateway.toml, --config FILE):
// TOML whose keys are the long flags' own names without the dashes
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

namespace fieldflow::gateway {

class TomlConfig : public CLI::Config {
  public:
    // `app` is asked which keys exist: any other key is refused with its line.
    explicit TomlConfig(const CLI::App& app) : app_(app) {}

    std::vector<CLI::ConfigItem> from_config(std::istream& input) const override;
    std::string to_config(const CLI::App* app, bool default_also, bool write_description,
                          std::string prefix) const override;

    // Where a refusal of CLI11's about a flag came from, when its value was
    // the file's: "/etc/fieldflow/gateway.toml line 12, key max-connections". Empty when
    // the message names no key the file set.
    std::string where(const std::string& message) const;

  private:
    const CLI::App& app_;
    mutable std::string file_;
    // Key -> line of the keys whose values were taken, from the file last
    // read (from_config is const in CLI11).
    mutable std::map<std::string, std::size_t> lines_;
};

}  // namespace fieldflow::gateway
