// The gateway's command line read in-process: the defaults docs/operations.md
// states, and refusals that name the flag and what it accepts. No store is
// reached, so these do not run again on PostgreSQL ("no gateway store").

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "gateway/options.h"
#include "gateway/parsed_options.h"
#include "program/command_line.h"

using namespace fieldflow;

namespace {

using Parsed = test::ParsedOptions;

// Parses the required flags and `extra` after them.
Parsed parse(const std::vector<std::string>& extra, bool required = true) {
    std::vector<std::string> args;
    if (required) args = {"--listen", "127.0.0.1:7700", "--db", "g.db", "--master", "m"};
    args.insert(args.end(), extra.begin(), extra.end());
    return test::parse_gateway_options(args);
}

}  // namespace

TEST_CASE("gateway options: the defaults are those docs/operations.md gives" *
          doctest::test_suite("no gateway store")) {
    auto parsed = parse({});
    const auto& o = parsed.options();
    CHECK(o.listen_host == "127.0.0.1");
    CHECK(o.listen_port == 7700);
    CHECK(o.db == "g.db");
    CHECK(o.master == "m");
    CHECK(o.durability == store::Durability::full);
    CHECK(o.limits.max_frame_bytes == 8388608);
    CHECK(o.max_batch_records == 2000);
    CHECK(o.max_batches_in_flight == 4);
    CHECK(o.handshake_timeout_s == 10);
    CHECK(o.idle_timeout_s == 120);
    CHECK(o.frame_timeout_s == 10);
    CHECK(o.max_connections == 4096);
    CHECK(o.max_device_rate == 0);
    CHECK(o.gateway_id == "fieldflow-gateway");
    CHECK(o.auth == gateway::Options::Auth::enrolled);
    CHECK(o.http_host.empty());
    CHECK(o.overview.flow_late_days == 3);
    CHECK(o.overview.silent_hours == 24);
    CHECK(o.travel.max_kmh == 120);
    CHECK(o.travel.min_hop_km == 1);
    CHECK(o.travel.min_visit_minutes == 0);
    CHECK(o.log_level == spdlog::level::info);
    using store::Role;
    CHECK(o.personal_data.location == std::set{Role::reviewer, Role::admin});
    CHECK(o.personal_data.photos == std::set{Role::reviewer, Role::admin});
    CHECK(o.retention.location_days == 0);
    CHECK(o.retention.photo_days == 0);
    CHECK(parsed.err.empty());
}

TEST_CASE("gateway options: the roles that open fixes and photos, or none" *
          doctest::test_suite("no gateway store")) {
    using store::Role;
    auto parsed = parse({"--location-roles", "admin", "--photo-roles", "none"});
    CHECK(parsed.options().personal_data.location == std::set{Role::admin});
    CHECK(parsed.options().personal_data.photos.empty());
    auto all = parse({"--photo-roles", "viewer,reviewer,admin"});
    CHECK(all.options().personal_data.photos.size() == 3);
}

TEST_CASE("gateway options: the days fixes and photos are kept" *
          doctest::test_suite("no gateway store")) {
    auto parsed = parse({"--location-retention-days", "180", "--photo-retention-days", "400"});
    CHECK(parsed.options().retention.location_days == 180);
    CHECK(parsed.options().retention.photo_days == 400);
}

TEST_CASE("gateway options: every flag is read into its option" *
          doctest::test_suite("no gateway store")) {
    auto parsed = parse({"--durability",
                         "normal",
                         "--max-frame-bytes",
                         "65536",
                         "--max-batch-records",
                         "50",
                         "--batches-in-flight",
                         "64",
                         "--handshake-timeout",
                         "3",
                         "--idle-timeout",
                         "30",
                         "--frame-timeout",
                         "2",
                         "--gateway-id",
                         "gw-7",
                         "--max-connections",
                         "9",
                         "--max-device-rate",
                         "12.5",
                         "--auth",
                         "open",
                         "--http",
                         "[::1]:0",
                         "--web",
                         "/srv/web",
                         "--flow-late-days",
                         "5",
                         "--silent-hours",
                         "6",
                         "--max-travel-kmh",
                         "90.5",
                         "--min-hop-km",
                         "2",
                         "--min-visit-minutes",
                         "5",
                         "--log-level",
                         "debug"});
    const auto& o = parsed.options();
    CHECK(o.durability == store::Durability::normal);
    CHECK(o.limits.max_frame_bytes == 65536);
    CHECK(o.max_batch_records == 50);
    CHECK(o.max_batches_in_flight == 64);
    CHECK(o.handshake_timeout_s == 3);
    CHECK(o.idle_timeout_s == 30);
    CHECK(o.frame_timeout_s == 2);
    CHECK(o.gateway_id == "gw-7");
    // By the name the flag takes, as a reload's log line shows it.
    CHECK(o.settings.at("log-level") == "debug");
    CHECK(o.max_connections == 9);
    CHECK(o.max_device_rate == 12.5);
    CHECK(o.auth == gateway::Options::Auth::open);
    CHECK(o.http_host == "::1");
    CHECK(o.http_port == 0);
    CHECK(o.web_dir == "/srv/web");
    CHECK(o.overview.flow_late_days == 5);
    CHECK(o.overview.silent_hours == 6);
    CHECK(o.travel.max_kmh == 90.5);
    CHECK(o.travel.min_hop_km == 2);
    CHECK(o.travel.min_visit_minutes == 5);
    CHECK(o.log_level == spdlog::level::debug);
}

TEST_CASE("gateway options: a value out of its range names the flag and the range, exit 2" *
          doctest::test_suite("no gateway store")) {
    struct Case {
        std::string flag, value, expected;
    };
    const std::vector<Case> cases = {
        {"--batches-in-flight", "0", "--batches-in-flight: Value 0 not in range 1 to 64"},
        {"--batches-in-flight", "65", "--batches-in-flight: Value 65 not in range 1 to 64"},
        {"--batches-in-flight", "many", "--batches-in-flight: Value many not in range 1 to 64"},
        {"--max-frame-bytes", "63", "--max-frame-bytes: Value 63 not in range 64 to 4294967295"},
        {"--max-batch-records", "0", "--max-batch-records: Value 0 not in range 1 to 1000000"},
        {"--handshake-timeout", "0", "--handshake-timeout: Value 0 not in range 1 to 86400"},
        {"--idle-timeout", "-5", "--idle-timeout: Value -5 not in range 1 to 86400"},
        {"--frame-timeout", "1s", "--frame-timeout: Value 1s not in range 1 to 86400"},
        {"--max-connections", "0", "--max-connections: Value 0 not in range 1 to 1000000"},
        {"--flow-late-days", "0", "--flow-late-days: Value 0 not in range 1 to 3650"},
        {"--silent-hours", "0", "--silent-hours: Value 0 not in range 1 to 8760"},
        {"--max-device-rate", "-1",
         "--max-device-rate: expects records a second, 0 (no limit) or more, got \"-1\""},
        {"--max-travel-kmh", "-1", "--max-travel-kmh: expects km/h, 0 (off) or more, got \"-1\""},
        {"--min-hop-km", "far", "--min-hop-km: expects km, 0 or more, got \"far\""},
        {"--min-visit-minutes", "nan",
         "--min-visit-minutes: expects minutes, 0 (off) or more, got \"nan\""},
        {"--durability", "half", "--durability: expects full or normal, got \"half\""},
        {"--auth", "none", "--auth: expects enrolled or open, got \"none\""},
        {"--listen", "nowhere", "--listen: expects HOST:PORT, got \"nowhere\""},
        {"--http", "127.0.0.1:99999", "--http: expects HOST:PORT, got \"127.0.0.1:99999\""},
        {"--location-roles", "reviewer,boss",
         "--location-roles: \"boss\" is not a role: viewer, reviewer or admin, comma-separated, "
         "or none"},
        {"--location-retention-days", "-1",
         "--location-retention-days: Value -1 not in range 0 to 36500"},
        {"--photo-retention-days", "40000",
         "--photo-retention-days: Value 40000 not in range 0 to 36500"},
        {"--photo-roles", "",
         "--photo-roles: \"\" is not a role: viewer, reviewer or admin, "
         "comma-separated, or none"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.flag);
        CAPTURE(c.value);
        auto parsed = parse({c.flag, c.value});
        CHECK(parsed.exit_code() == program::usage_exit);
        CHECK(parsed.first_error_line() == "fieldflow-gateway: " + c.expected);
        // Then the usage, so that the right spelling is at hand.
        CHECK(parsed.err.find("Usage: fieldflow-gateway") != std::string::npos);
    }
}

TEST_CASE("gateway options: what the flags say together is checked, exit 2" *
          doctest::test_suite("no gateway store")) {
    auto missing = parse({"--db", "g.db", "--master", "m"}, false);
    CHECK(missing.exit_code() == 2);
    CHECK(missing.first_error_line() == "fieldflow-gateway: --listen is required");

    auto half_tls = parse({"--tls-cert", "gw.pem"});
    CHECK(half_tls.exit_code() == 2);
    CHECK(half_tls.first_error_line() == "fieldflow-gateway: --tls-cert requires --tls-key");

    auto clear = parse({"--listen", "0.0.0.0:7700"});
    CHECK(clear.exit_code() == 2);
    CHECK(clear.first_error_line().starts_with(
        "fieldflow-gateway: --listen: 0.0.0.0 is not a loopback address and needs TLS"));

    auto open =
        parse({"--listen", "0.0.0.0:7700", "--tls-cert", "c", "--tls-key", "k", "--auth", "open"});
    CHECK(open.exit_code() == 2);
    CHECK(open.first_error_line().starts_with(
        "fieldflow-gateway: --auth: open is for loopback only"));

    auto http = parse({"--http", "0.0.0.0:7780"});
    CHECK(http.exit_code() == 2);
    CHECK(http.first_error_line().starts_with(
        "fieldflow-gateway: --http: 0.0.0.0 is not a loopback address"));

    auto tls = parse({"--listen", "0.0.0.0:7700", "--tls-cert", "c", "--tls-key", "k"});
    CHECK(tls.options().listen_host == "0.0.0.0");
    CHECK(tls.options().tls_cert == "c");
}

TEST_CASE("gateway options: --help prints the usage with every flag and exits 0" *
          doctest::test_suite("no gateway store")) {
    auto help = parse({"--help"}, false);
    CHECK(help.exit_code() == 0);
    CHECK(help.err.empty());
    for (const char* flag : {"--listen",
                             "--db",
                             "--master",
                             "--durability",
                             "--max-frame-bytes",
                             "--max-batch-records",
                             "--batches-in-flight",
                             "--handshake-timeout",
                             "--idle-timeout",
                             "--frame-timeout",
                             "--gateway-id",
                             "--max-connections",
                             "--max-device-rate",
                             "--tls-cert",
                             "--tls-key",
                             "--auth",
                             "--http",
                             "--web",
                             "--flow-late-days",
                             "--silent-hours",
                             "--max-travel-kmh",
                             "--min-hop-km",
                             "--min-visit-minutes",
                             "--log-level"}) {
        CAPTURE(flag);
        CHECK(help.out.find(flag) != std::string::npos);
    }
}

TEST_CASE("gateway options: --http-host repeats, and the login limits are read" *
          doctest::test_suite("no gateway store")) {
    auto parsed = parse({"--http", "127.0.0.1:0", "--http-host", "console.example.org",
                         "--http-host", "ops.example.org", "--login-failures", "3",
                         "--login-address-failures", "0", "--login-window", "60"});
    const auto& o = parsed.options();
    CHECK(o.http_names == std::vector<std::string>{"console.example.org", "ops.example.org"});
    CHECK(o.login.failures_per_name == 3);
    CHECK(o.login.failures_per_address == 0);
    CHECK(o.login.window == std::chrono::seconds(60));

    auto defaults = parse({}).options();
    CHECK(defaults.http_names.empty());
    CHECK(defaults.login.failures_per_name == 5);
    CHECK(defaults.login.failures_per_address == 20);
    CHECK(defaults.login.window == std::chrono::seconds(900));

    auto alone = parse({"--http-host", "console.example.org"});
    CHECK(alone.exit_code() == 2);
    CHECK(alone.first_error_line() == "fieldflow-gateway: --http-host requires --http");
}
