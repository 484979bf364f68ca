#include "agent/serve_command.h"

#include <malloc.h>

#include <iostream>
#include <optional>

#include "agent/background_sync.h"
#include "agent/gateway_ca.h"
#include "agent/gps_follow.h"
#include "agent/pin_worker.h"
#include "program/service_notify.h"
#include "agent/scanner_feed.h"
#include "agent/serve_api.h"
#include "agent/ui_files.h"
#include "agent/ui_server.h"
#include "program/command_line.h"

namespace fieldflow::agent {

namespace asio = boost::asio;

std::shared_ptr<program::TomlConfig> add_serve_options(CLI::App& serve, ServeOptions& options) {
    serve
        .add_option("--ui", options.ui,
                    "Serve the page and its API at 127.0.0.1:PORT (loopback only; port 0: any)")
        ->check(program::host_port())
        ->capture_default_str();
    serve
        .add_option("--gateway", options.gateway,
                    "Sync in the background with the gateway at HOST:PORT (default: the one "
                    "init remembered; none: no sync)")
        ->check(program::host_port());
    serve.add_option("--ca", options.ca,
                     "Over TLS, verified against the CA certificate in FILE; default: the one the "
                     "enrolment named (required for a gateway off loopback)");
    auto* gpsd = serve
                     .add_option("--gpsd", options.gpsd,
                                 "Follow the fix of gpsd at HOST:PORT (it listens on 2947)")
                     ->check(program::host_port());
    auto* gps = serve.add_option("--gps", options.gps,
                                 "Follow the fix of a receiver's NMEA stream on DEVICE");
    auto* replay = serve.add_option(
        "--gps-replay", options.gps_replay,
        "Take the fix from a recorded NMEA stream in FILE, read whole at start (its last fix "
        "stays, as old as the recording says)");
    gpsd->excludes(gps, replay);
    gps->excludes(replay);
    serve.add_option("--scanner", options.scanner,
                     "Read the scan engine's codes, one per line, from PATH (a serial device or "
                     "a FIFO)");
    serve.add_option("--web", options.web,
                     "The page's files (default: share/fieldflow/handheld of the installed "
                     "program, or the source tree's web/handheld)");
    serve
        .add_option("--sync-every", options.sync_period_s,
                    "Sync every S seconds, and soon after each capture")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{86400}))
        ->capture_default_str();

    // CLI11 reads a config file for the program only: --config is the
    // program's, given after `serve` as any of its flags may be
    // (fallthrough), and the file's keys go to serve.
    auto& program = *serve.get_parent();
    auto config = std::make_shared<program::TomlConfig>(serve);
    program.config_formatter(config);
    program.allow_config_extras(CLI::config_extras_mode::error);
    program
        .set_config("--config", "",
                    "serve's settings: a TOML file, each key a flag of serve without the dashes "
                    "(gateway = \"gw.example.com:7443\"); flags given override it")
        ->type_name("FILE");
    serve.footer(
        "Settings may also come from --config FILE or be checked with --check-config "
        "FILE (/etc/fieldflow/agent.toml for the service; see fieldflow-agent --help).");
    // Only for --help: main() turns the flag into --config before parsing.
    program
        .add_option("--check-config", options.config_checked,
                    "Read serve's FILE as --config would, say what is wrong and where (line and "
                    "key), and exit: 0 valid, 1 not")
        ->type_name("FILE");
    return config;
}

int serve(Outbox& outbox, const std::filesystem::path& state_dir, const ServeOptions& options,
          const program::Log& log) {
    // A photo's buffers come and go by the megabyte. Once the first is
    // freed glibc raises its mmap threshold past them, and the next ones
    // stay resident in the heap after the sync is done (18.9 MiB against
    // 15.8 after a sealed 3 MiB photo); a fixed threshold hands each back.
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    auto ui_at = program::endpoint(options.ui, "--ui", true);
    auto server_log = log.component("ui");
    asio::io_context io;

    GpsFollow gps(io, {options.gpsd, options.gps, options.gps_replay}, core::FixLimits{},
                  log.component("gps"));

    std::optional<SyncOptions> sync_options;
    std::string gateway = options.gateway ? *options.gateway : outbox.gateway();
    if (!gateway.empty()) {
        auto endpoints = program::endpoints(gateway, "--gateway");
        sync_options.emplace();
        sync_options->host = endpoints.front().host;
        sync_options->port = std::to_string(endpoints.front().port);
        for (std::size_t i = 1; i < endpoints.size(); ++i)
            sync_options->more_gateways.push_back(
                {endpoints[i].host, std::to_string(endpoints[i].port)});
        sync_options->ca = trusted_ca(state_dir, options.ca);
    }

    // Its thread touches neither the page's server nor its API, only its own
    // outbox; it is joined before the io_context its outcomes go to closes.
    PinWorker pins(io, state_dir);
    std::unique_ptr<ServeApi> api;
    UiServer server(
        io, ui_at.host, ui_at.port,
        [&api](const UiRequest& request) { return api->answer(request); }, server_log);

    std::unique_ptr<BackgroundSync> sync;
    if (sync_options)
        // After each attempt the page hears the new state, on the io thread.
        sync = std::make_unique<BackgroundSync>(
            state_dir, *sync_options,
            [&io, &api, &server] {
                asio::post(io, [&api, &server] { server.publish("state", api->state_text()); });
            },
            log.component("sync"), std::chrono::seconds(options.sync_period_s));

    api = std::make_unique<ServeApi>(ServeContext{
        outbox, state_dir,
        options.web ? std::filesystem::path(*options.web)
                    : std::filesystem::path(default_handheld_web_dir()),
        gps, sync.get(), server.token(), FIELDFLOW_VERSION,
        [&server](const std::string& name, const std::string& data) { server.publish(name, data); },
        pins});
    server.defer([&api](const UiRequest& request, const UiReply& reply) {
        return api->answer_later(request, reply);
    });
    server.on_subscribe([&api] { return "event: state\ndata: " + api->state_text() + "\n\n"; });

    std::unique_ptr<ScannerFeed> scanner;
    if (options.scanner)
        scanner = std::make_unique<ScannerFeed>(
            io, *options.scanner, [&api](const std::string& code) { api->scanned_by_engine(code); },
            log.component("scanner"));

    asio::signal_set signals(io, SIGTERM, SIGINT);
    signals.async_wait([&](boost::system::error_code ec, int signal) {
        if (ec) return;
        server_log->info("stopping on signal={}", signal);
        program::service::stopping();
        server.stop();
        gps.stop();
        if (scanner) scanner->stop();
        io.stop();
    });

    server.start();
    gps.start();
    if (scanner) scanner->start();
    if (sync) sync->start();
    auto bound = server.local_endpoint();
    std::string address = "http://" +
                          (bound.address().is_v6() ? "[" + bound.address().to_string() + "]"
                                                   : bound.address().to_string()) +
                          ":" + std::to_string(bound.port()) + "/";
    std::cout << "serving the handheld's page at " << address << std::endl;
    program::service::ready("serving the page at " + address);
    io.run();
    if (sync) sync->stop();
    server_log->info("stopped");
    return 0;
}

}  // namespace fieldflow::agent
