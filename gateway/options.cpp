#include "gateway/options.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <iostream>
#include <optional>
#include <map>

#include "program/config_file.h"
#include "program/command_line.h"
#include "program/log.h"
#include "net/transport.h"

namespace fieldflow::gateway {

namespace {

// What the flags accept beyond their type. The upper bounds are far above
// any sensible setting; they are there so that a typo of a few digits is
// caught instead of taken (and the welcome's 32-bit fields stay exact).
constexpr std::size_t max_frame_bytes_limit = UINT32_MAX;
constexpr std::uint32_t max_batch_records_limit = 1'000'000;
constexpr std::uint32_t max_batches_in_flight_limit = 64;
constexpr unsigned max_timeout_s = 86'400;
constexpr unsigned max_connections_limit = 1'000'000;
constexpr unsigned max_flow_late_days = 3'650;
constexpr unsigned max_silent_hours = 8'760;
constexpr unsigned max_login_failures = 1'000'000;
constexpr unsigned max_retention_days = 36'500;
constexpr std::uint64_t max_photo_bytes_limit = 1ull << 30;  // PostgreSQL's bytea holds 1 GB

// A word from `names`, handed on as its enumerator's number (how CLI11
// reads an enum); a refusal lists the words.
template <typename Enum>
CLI::Validator one_of(std::map<std::string, Enum> names) {
    std::string shown;
    for (const auto& [word, value] : names) shown += (shown.empty() ? "" : " or ") + word;
    return CLI::Validator(
        [names, shown](std::string& value) -> std::string {
            auto found = names.find(value);
            if (found == names.end()) return "expects " + shown + ", got \"" + value + "\"";
            value = std::to_string(static_cast<int>(found->second));
            return {};
        },
        "");
}

CLI::Validator records_per_second() {
    return CLI::Validator(
        [](std::string& value) -> std::string {
            double rate = -1;
            if (!CLI::detail::lexical_cast(value, rate) || !(rate >= 0))
                return "expects records a second, 0 (no limit) or more, got \"" + value + "\"";
            return {};
        },
        "");
}

// A threshold of the travel rules: a number, 0 (that rule off, where 0
// means off) or more.
CLI::Validator not_negative(const std::string& what) {
    return CLI::Validator(
        [what](std::string& value) -> std::string {
            double number = -1;
            if (!CLI::detail::lexical_cast(value, number) || !(number >= 0) ||
                !std::isfinite(number))
                return "expects " + what + ", got \"" + value + "\"";
            return {};
        },
        "");
}

// The checks that weigh one flag against another, once all are read.
void check_together(const Options& options) {
    if (options.tls_cert.empty() && !wire::loopback(options.listen_host))
        throw CLI::ValidationError(
            "--listen", options.listen_host +
                            " is not a loopback address and needs TLS: records would cross the "
                            "network in clear (--tls-cert FILE --tls-key FILE)");
    if (options.auth == Options::Auth::open && !wire::loopback(options.listen_host))
        throw CLI::ValidationError(
            "--auth", "open is for loopback only: off this machine, devices must be enrolled");
    // Plain HTTP carries what operators see; off this machine it belongs
    // behind a TLS-terminating proxy, which listens on loopback's side.
    if (!options.http_host.empty() && !wire::loopback(options.http_host))
        throw CLI::ValidationError("--http", options.http_host +
                                                 " is not a loopback address: serve the "
                                                 "operators' pages through a TLS proxy");
}

}  // namespace

std::variant<Options, int> parse_options(int argc, const char* const* argv) {
    Options options;
    CLI::App app(
        "Receives agents' record streams, judges every record against the master data, "
        "commits it, and only then acks it.",
        "fieldflow-gateway");
    app.get_formatter()->column_width(34);
    // As before CLI11: a flag given again overrides, so a script can append
    // to a command line it was handed.
    app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);

    std::string listen, http;
    app.add_option("--listen", listen,
                   "Address to accept agents on; port 0 picks a free one (printed as "
                   "\"listening on HOST:PORT\")")
        ->required()
        ->type_name("HOST:PORT")
        ->check(program::host_port().description(""));
    app.add_option("--db", options.db,
                   "The SQLite store (created if missing), or a PostgreSQL database that "
                   "several gateways share (postgresql://...)")
        ->type_name("FILE|URL")
        ->required();
    app.add_option("--master", options.master,
                   "Folder with products.csv, terminals.csv, distributors.csv, reps.csv; "
                   "stored as a new master-data version if it differs from the store's latest "
                   "(default: the store's latest version)")
        ->type_name("DIR");
    app.add_option("--durability", options.durability,
                   "full: a commit survives power loss; normal: a crash of the process only")
        ->type_name("full|normal")
        ->transform(one_of<store::Durability>(
            {{"full", store::Durability::full}, {"normal", store::Durability::normal}}))
        ->default_str("full");
    app.add_option("--max-frame-bytes", options.limits.max_frame_bytes,
                   "Larger frames are refused before their body is read")
        ->check(CLI::Range(std::size_t{64}, max_frame_bytes_limit))
        ->capture_default_str();
    app.add_option("--max-batch-records", options.max_batch_records,
                   "More records in one batch are refused")
        ->check(CLI::Range(std::uint32_t{1}, max_batch_records_limit))
        ->capture_default_str();
    app.add_option("--batches-in-flight", options.max_batches_in_flight,
                   "Batches one connection may send before the first one's ack")
        ->check(CLI::Range(std::uint32_t{1}, max_batches_in_flight_limit))
        ->capture_default_str();
    app.add_option("--handshake-timeout", options.handshake_timeout_s,
                   "Seconds from connecting to the hello, TLS included")
        ->check(CLI::Range(1u, max_timeout_s))
        ->capture_default_str();
    app.add_option("--idle-timeout", options.idle_timeout_s, "Seconds allowed between frames")
        ->check(CLI::Range(1u, max_timeout_s))
        ->capture_default_str();
    app.add_option("--frame-timeout", options.frame_timeout_s,
                   "Seconds for a frame, once begun, to arrive whole")
        ->check(CLI::Range(1u, max_timeout_s))
        ->capture_default_str();
    app.add_option("--gateway-id", options.gateway_id, "Sent to agents in the welcome")
        ->type_name("NAME")
        ->capture_default_str();
    app.add_option("--max-connections", options.max_connections,
                   "Connections beyond this are closed at once")
        ->check(CLI::Range(1u, max_connections_limit))
        ->capture_default_str();
    app.add_option("--max-device-rate", options.max_device_rate,
                   "Records a second one connection may send; 0 for no limit")
        ->type_name("RECORDS_PER_S")
        ->check(records_per_second())
        ->capture_default_str();
    auto* cert = app.add_option("--tls-cert", options.tls_cert,
                                "PEM certificate chain: agents connect over TLS; required unless "
                                "--listen is a loopback address")
                     ->type_name("FILE");
    auto* key = app.add_option("--tls-key", options.tls_key, "PEM private key of --tls-cert")
                    ->type_name("FILE");
    cert->needs(key);
    key->needs(cert);
    app.add_option("--agent-ca", options.agent_ca,
                   "PEM certificate of the CA --tls-cert chains to: the console's enrolment QR "
                   "code carries it, and handhelds set up from it trust it with no CA file of "
                   "their own")
        ->type_name("FILE")
        ->needs(cert);
    app.add_option("--auth", options.auth,
                   "enrolled: devices present the credential of `fieldflow device enroll`; "
                   "open: none needed (loopback only)")
        ->type_name("enrolled|open")
        ->transform(one_of<Options::Auth>(
            {{"enrolled", Options::Auth::enrolled}, {"open", Options::Auth::open}}))
        ->default_str("enrolled");
    auto* http_option =
        app.add_option("--http", http,
                       "Operators' HTTP: dashboard, review queue, /healthz, /readyz, /metrics "
                       "(loopback only)")
            ->type_name("HOST:PORT")
            ->check(program::host_port().description(""));
    app.add_option("--http-host", options.http_names,
                   "A name the operators' pages are reached by besides --http's address (a TLS "
                   "proxy's); other Host headers get 421. Repeat for several")
        ->type_name("NAME")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->needs(http_option);
    app.add_option("--login-failures", options.login.failures_per_name,
                   "Wrong passwords for one name within --login-window before that name is "
                   "refused (429) until the window passes")
        ->check(CLI::Range(1u, max_login_failures))
        ->capture_default_str();
    app.add_option("--login-address-failures", options.login.failures_per_address,
                   "The same for one client address, whatever the names; 0 for no limit")
        ->check(CLI::Range(0u, max_login_failures))
        ->capture_default_str();
    // Who opens a rep's exact fix and the field's photos; the other roles see
    // the distance to the store and the verdict.
    std::string location_roles = roles_text(options.personal_data.location);
    std::string photo_roles = roles_text(options.personal_data.photos);
    auto roles_check = CLI::Validator(
        [](std::string& value) -> std::string {
            try {
                parse_roles(value);
                return {};
            } catch (const std::invalid_argument& e) {
                return e.what();
            }
        },
        "");
    app.add_option("--location-roles", location_roles,
                   "Roles that may open where a rep stood (a check-in's fix and the day's "
                   "path), each opening audited: viewer, reviewer, admin, comma-separated, or "
                   "none")
        ->type_name("ROLES")
        ->check(roles_check)
        ->capture_default_str();
    app.add_option("--photo-roles", photo_roles,
                   "Roles that may open the photos from the field, each opening audited; as "
                   "--location-roles")
        ->type_name("ROLES")
        ->check(roles_check)
        ->capture_default_str();
    app.add_option("--location-retention-days", options.retention.location_days,
                   "Days a check-in's exact fix is kept after capture; then only its distance "
                   "from the terminal stays. 0 keeps fixes for ever")
        ->type_name("DAYS")
        ->check(CLI::Range(0u, max_retention_days))
        ->capture_default_str();
    app.add_option("--photo-retention-days", options.retention.photo_days,
                   "Days a photo from the field is kept after the last record that sent it was "
                   "captured. 0 keeps photos for ever")
        ->type_name("DAYS")
        ->check(CLI::Range(0u, max_retention_days))
        ->capture_default_str();
    unsigned login_window_s = static_cast<unsigned>(options.login.window.count());
    app.add_option("--login-window", login_window_s, "Seconds a failed login counts for")
        ->type_name("SECONDS")
        ->check(CLI::Range(1u, max_timeout_s))
        ->capture_default_str();
    app.add_option("--web", options.web_dir, "The dashboard's files")
        ->type_name("DIR")
        ->capture_default_str();
    app.add_option("--flow-late-days", options.overview.flow_late_days,
                   "Flag distributors without flow data for this many days")
        ->check(CLI::Range(1u, max_flow_late_days))
        ->capture_default_str();
    app.add_option("--silent-hours", options.overview.silent_hours,
                   "A device unseen for this many hours is silent")
        ->check(CLI::Range(1u, max_silent_hours))
        ->capture_default_str();
    app.add_option("--max-travel-kmh", options.travel.max_kmh,
                   "Flag a check-in reached from the device's previous one faster than this "
                   "(impossible_travel); 0 for never")
        ->type_name("KM_PER_H")
        ->check(not_negative("km/h, 0 (off) or more"))
        ->capture_default_str();
    app.add_option("--min-hop-km", options.travel.min_hop_km,
                   "Check-ins closer together than this are never flagged impossible_travel")
        ->type_name("KM")
        ->check(not_negative("km, 0 or more"))
        ->capture_default_str();
    app.add_option("--min-visit-minutes", options.travel.min_visit_minutes,
                   "Flag a check-out sooner than this after its check-in (short_visit); 0 for "
                   "never")
        ->type_name("MINUTES")
        ->check(not_negative("minutes, 0 (off) or more"))
        ->capture_default_str();
    app.add_option("--max-photo-bytes", options.max_photo_bytes,
                   "Photos larger than this are refused (too_large); 0 takes no photos, and "
                   "agents keep theirs")
        ->type_name("BYTES")
        ->check(CLI::Range(std::uint64_t{0}, max_photo_bytes_limit))
        ->capture_default_str();
    program::add_log_level(app, options.log_level);

    // Every flag above is also a key of the config file, by its own name
    // (gateway/config_file.h): nothing here lists them again.
    auto config = std::make_shared<program::TomlConfig>(app);
    app.config_formatter(config);
    app.allow_config_extras(CLI::config_extras_mode::error);
    app.set_config("--config", "",
                   "TOML file of settings, each key a long flag's name without the dashes "
                   "(listen = \"127.0.0.1:7700\"); flags given here override it")
        ->type_name("FILE");
    // Only for --help: as_config_check() turns the flag into --config before parsing.
    std::string shown_only;
    app.add_option("--check-config", shown_only,
                   "Read FILE as --config would, say what is wrong and where (line and key), "
                   "and exit: 0 valid, 1 not")
        ->type_name("FILE");

    app.callback([&] {
        // A chunk and its message's pointers fit one frame.
        options.photo_chunk_bytes = static_cast<std::uint32_t>(
            std::min<std::size_t>(options.photo_chunk_bytes, options.limits.max_frame_bytes / 2));
        options.login.window = std::chrono::seconds(login_window_s);
        options.personal_data = {parse_roles(location_roles), parse_roles(photo_roles)};
        auto agents = program::endpoint(listen, "--listen", true);
        options.listen_host = agents.host;
        options.listen_port = agents.port;
        if (!http.empty()) {
            auto operators = program::endpoint(http, "--http", true);
            options.http_host = operators.host;
            options.http_port = operators.port;
        }
        check_together(options);
    });

    if (auto check = program::as_config_check(argc, argv))
        return program::check_config(app, *config, *check);
    auto where = [&config](const std::string& message) { return config->where(message); };
    if (auto exit = program::parse(app, argc, argv, where)) return *exit;
    if (app.get_config_ptr()->count() > 0)
        options.config_file = app.get_config_ptr()->as<std::string>();
    for (const auto* option : app.get_options()) {
        auto name = option->get_single_name();
        if (name == "help" || name == "config" || name == "check-config") continue;
        std::string value;
        for (const auto& result : option->results()) value += (value.empty() ? "" : ",") + result;
        options.settings[name] = option->count() > 0 ? value : option->get_default_str();
    }
    // CLI11 keeps the level as the number its transform made of the name.
    options.settings["log-level"] = program::log_level_name(options.log_level);
    return options;
}

}  // namespace fieldflow::gateway
