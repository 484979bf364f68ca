// The gateway's config file (--config FILE, --check-config FILE): every
// flag is a key under its own name, flags override the file, and a mistake
// is reported with the file's line and the key.

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "gateway/options.h"
#include "gateway/parsed_options.h"
#include "program/command_line.h"

using namespace fieldflow;
using fieldflow::test::parse_gateway_options;
namespace fs = std::filesystem;

namespace {

struct ConfigFile {
    fs::path path;
    explicit ConfigFile(const std::string& text)
        : path(fs::temp_directory_path() / ("fieldflow-config-" + std::to_string(::getpid()) + "-" +
                                            std::to_string(counter()++) + ".toml")) {
        std::ofstream(path) << text;
    }
    ~ConfigFile() { fs::remove(path); }
    static int& counter() {
        static int n = 0;
        return n;
    }
};

const std::string required_keys = "listen = \"127.0.0.1:7711\"\ndb = \"g.db\"\n";

}  // namespace

TEST_CASE("config file: its keys are the flags' names and set what the flags set" *
          doctest::test_suite("no gateway store")) {
    ConfigFile file(required_keys +
                    "# the operators' side\n"
                    "http = \"127.0.0.1:7780\"\n"
                    "http-host = [\"console.example.org\", \"ops.example.org\"]\n"
                    "gateway-id = \"gw-east\"\n"
                    "max-connections = 17\n"
                    "max-device-rate = 2.5\n"
                    "durability = \"normal\"\n"
                    "auth = \"open\"\n"
                    "login-window = 60\n"
                    "log-level = \"debug\"\n");
    auto parsed = parse_gateway_options({"--config", file.path.string()});
    const auto& o = parsed.options();
    CHECK(o.listen_port == 7711);
    CHECK(o.db == "g.db");
    CHECK(o.http_port == 7780);
    CHECK(o.http_names == std::vector<std::string>{"console.example.org", "ops.example.org"});
    CHECK(o.gateway_id == "gw-east");
    CHECK(o.max_connections == 17);
    CHECK(o.max_device_rate == doctest::Approx(2.5));
    CHECK(o.durability == store::Durability::normal);
    CHECK(o.auth == gateway::Options::Auth::open);
    CHECK(o.login.window == std::chrono::seconds(60));
    CHECK(o.log_level == spdlog::level::debug);
}

TEST_CASE("config file: a flag on the command line overrides the file's key" *
          doctest::test_suite("no gateway store")) {
    ConfigFile file(required_keys + "max-connections = 17\ngateway-id = \"from-file\"\n");
    auto parsed = parse_gateway_options(
        {"--config", file.path.string(), "--max-connections", "99", "--db", "other.db"});
    CHECK(parsed.options().max_connections == 99);
    CHECK(parsed.options().db == "other.db");
    CHECK(parsed.options().gateway_id == "from-file");
}

TEST_CASE("config file: every flag of --help is a key, with no list of them to keep" *
          doctest::test_suite("no gateway store")) {
    auto help = parse_gateway_options({"--help"});
    REQUIRE(help.exit_code() == 0);
    std::set<std::string> flags;
    std::regex flag_pattern("--([a-z][a-z0-9-]+)");
    for (std::sregex_iterator it(help.out.begin(), help.out.end(), flag_pattern), end; it != end;
         ++it)
        flags.insert((*it)[1]);
    for (const char* not_a_setting : {"help", "config", "check-config"}) flags.erase(not_a_setting);
    REQUIRE(flags.size() > 20);
    for (const auto& flag : flags) {
        CAPTURE(flag);
        // A value no flag accepts: the key must be known, and then refused for its value.
        ConfigFile file(flag + " = \"?\"\n");
        auto parsed = parse_gateway_options({"--check-config", file.path.string()});
        CHECK(parsed.err.find("unknown key") == std::string::npos);
    }
}

TEST_CASE("config file: an unknown key is refused with its line, exit 2" *
          doctest::test_suite("no gateway store")) {
    ConfigFile file(required_keys + "\nmax-conections = 17\n");
    auto parsed = parse_gateway_options({"--config", file.path.string()});
    CHECK(parsed.exit_code() == program::usage_exit);
    CHECK(parsed.first_error_line() ==
          "fieldflow-gateway: " + file.path.string() +
              " line 4: unknown key \"max-conections\" (the keys are the long flags' names "
              "without the dashes; see fieldflow-gateway --help)");
}

TEST_CASE("config file: a value a flag would refuse is named with the file's line and key" *
          doctest::test_suite("no gateway store")) {
    ConfigFile file(required_keys + "max-connections = 0\n");
    auto parsed = parse_gateway_options({"--config", file.path.string()});
    CHECK(parsed.exit_code() == program::usage_exit);
    CHECK(parsed.first_error_line() ==
          "fieldflow-gateway: " + file.path.string() +
              " line 3, key max-connections: --max-connections: Value 0 not in range 1 to "
              "1000000");

    // The same value on the command line is the command line's mistake.
    auto flag = parse_gateway_options({"--config", file.path.string(), "--max-connections", "0"});
    CHECK(flag.first_error_line() ==
          "fieldflow-gateway: --max-connections: Value 0 not in range 1 to 1000000");
}

TEST_CASE("config file: TOML that does not parse is reported with its line" *
          doctest::test_suite("no gateway store")) {
    ConfigFile file(required_keys + "gateway-id = \"unclosed\n");
    auto parsed = parse_gateway_options({"--config", file.path.string()});
    CHECK(parsed.exit_code() == program::usage_exit);
    CHECK(parsed.first_error_line().starts_with("fieldflow-gateway: " + file.path.string() +
                                                " line 3: "));

    ConfigFile table(required_keys + "[login]\nwindow = 60\n");
    auto nested = parse_gateway_options({"--config", table.path.string()});
    CHECK(nested.first_error_line().starts_with("fieldflow-gateway: " + table.path.string() +
                                                " line 3: unknown key \"login\""));
}

TEST_CASE("config file: --check-config says valid and exits 0, or what and where and exits 1" *
          doctest::test_suite("no gateway store")) {
    ConfigFile good(required_keys + "max-connections = 10\n");
    auto valid = parse_gateway_options({"--check-config", good.path.string()});
    CHECK(valid.exit_code() == 0);
    CHECK(valid.out == good.path.string() + ": valid\n");

    ConfigFile bad(required_keys + "auth = \"none\"\n");
    auto invalid = parse_gateway_options({"--check-config", bad.path.string()});
    CHECK(invalid.exit_code() == 1);
    CHECK(invalid.err == bad.path.string() +
                             " line 3, key auth: --auth: expects enrolled or open, got \"none\"\n");

    // The unit passes nothing but the file: it must name what is required.
    ConfigFile partial("db = \"g.db\"\n");
    auto missing = parse_gateway_options({"--check-config", partial.path.string()});
    CHECK(missing.exit_code() == 1);
    CHECK(missing.err == "--listen is required\n");

    auto absent = parse_gateway_options({"--check-config", "/nonexistent/gateway.toml"});
    CHECK(absent.exit_code() == 1);
    CHECK(absent.err.find("/nonexistent/gateway.toml") != std::string::npos);
}

TEST_CASE("config file: the example the package installs is valid" *
          doctest::test_suite("no gateway store")) {
    auto parsed =
        parse_gateway_options({"--check-config", FIELDFLOW_SOURCE_DIR "/packaging/gateway.toml"});
    CHECK_MESSAGE(parsed.exit_code() == 0, parsed.err);
}
