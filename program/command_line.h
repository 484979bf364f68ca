#pragma once
// Reading a program's command line with CLI11, the same way in all three
// programs: a mistake prints what was wrong and the usage of the command it
// was made in, and exits 2; --help prints that usage and exits 0.

#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace fieldflow::program {

// The exit code for a command line that cannot be run as given.
inline constexpr int usage_exit = 2;

// Parses argv into `app`. Returns the exit code to end with when the program
// should not go on (help shown: 0; a mistake: usage_exit), nullopt when
// parsing succeeded and the program runs. `where`, given a mistake's
// message, may say where it was made (a config file's line and key); it is
// put before the message.
std::optional<int> parse(CLI::App& app, int argc, const char* const* argv,
                         const std::function<std::string(const std::string&)>& where = {});

struct Endpoint {
    std::string host;
    std::uint16_t port = 0;
};

// Splits "HOST:PORT" (an IPv6 host in brackets); throws CLI::ValidationError
// naming `flag` when it is not one. Port 0 is allowed only if `any_port`.
Endpoint endpoint(const std::string& text, const std::string& flag, bool any_port = false);

// A CLI11 check that the value is HOST:PORT, for options kept as text.
CLI::Validator host_port();

// "HOST:PORT[,HOST:PORT...]": the gateways a handheld tries in turn, each
// as endpoint() reads it; throws CLI::ValidationError naming `flag` and the
// address that is not one.
std::vector<Endpoint> endpoints(const std::string& text, const std::string& flag);

// A CLI11 check that the value is such a list.
CLI::Validator host_ports();

}  // namespace fieldflow::program
