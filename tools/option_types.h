#pragma once
// Typed options of the operators' command line. Each checks its value as
// CLI11 reads it, so that a bad value stops the command before it touches a
// store, and names the flag and what it takes:
//   fieldflow: --agents expects a whole number from 1 to 999, got "1000"

#include <CLI/CLI.hpp>

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>

#include "core/calendar.h"

namespace fieldflow::tools {

// A whole number from `low` to `high` into `out`, whose value is the default.
CLI::Option* add_count(CLI::App& app, const std::string& flag, unsigned& out, unsigned low,
                       unsigned high, const std::string& help);

// A number >= 0, handed to `take`; `shown` is the default shown in the usage.
CLI::Option* add_amount(CLI::App& app, const std::string& flag, std::function<void(double)> take,
                        double shown, const std::string& help);

// A month, YYYY-MM: a flag ("--period") or a positional ("PERIOD").
CLI::Option* add_period(CLI::App& app, const std::string& name, core::Period& out,
                        const std::string& help);
CLI::Option* add_period(CLI::App& app, const std::string& name, std::optional<core::Period>& out,
                        const std::string& help);

// One of `allowed` into `out`, whose value is the default.
CLI::Option* add_choice(CLI::App& app, const std::string& flag, std::string& out,
                        std::initializer_list<const char*> allowed, const std::string& help);

// "a, b or c"
std::string alternatives(std::initializer_list<const char*> allowed);

}  // namespace fieldflow::tools
