// fieldflow-gateway: receives agents' record streams, judges every record
// against the master data, commits it, and only then acks it.

#include <utility>
#include <boost/asio.hpp>

#include <csignal>
#include <functional>
#include <iostream>
#include <variant>
#include <vector>

#include "core/master_data.h"
#include "gateway/ingest.h"
#include "gateway/downlink.h"
#include "gateway/master_watch.h"
#include "gateway/retention_job.h"
#include "gateway/metrics.h"
#include "gateway/operator_console.h"
#include "gateway/options.h"
#include "gateway/reload.h"
#include "gateway/server.h"
#include "program/service_notify.h"
#include "program/log.h"
#include "store/gateway_store.h"

using namespace fieldflow;

int main(int argc, char** argv) {
    auto parsed = gateway::parse_options(argc, argv);
    if (auto* exit = std::get_if<int>(&parsed)) return *exit;
    // Sessions read it as they go; a SIGHUP changes what may change live.
    auto& options = std::get<gateway::Options>(parsed);

    program::Log log(options.log_level);
    // Every component's logger, so that a reload can change their level.
    std::vector<std::shared_ptr<spdlog::logger>> loggers;
    auto component = [&](const std::string& name) {
        return loggers.emplace_back(log.component(name));
    };
    auto main_log = component("gateway");

    std::optional<store::GatewayStore> store;
    try {
        store.emplace(options.db, options.durability);
        // The committer's thread only commits.
        store->db().checkpoint_in_background(
            [store_log = component("store")](const std::string& what) {
                store_log->warn("{}", what);
            });
    } catch (const std::exception& e) {
        main_log->critical("cannot open store db={} error={:?}", store::sql::shown(options.db),
                           e.what());
        return 2;
    }

    // The store's versions are what every gateway on it judges against;
    // --master only adds the folder as a version when it differs.
    std::optional<gateway::MasterInForce> master;
    std::optional<gateway::MasterWatch> master_watch;
    std::optional<gateway::Downlink> downlink;
    std::optional<gateway::RetentionJob> retention;
    try {
        auto first =
            gateway::master_at_start(store->db(), options.master, options.gateway_id, *main_log);
        if (!first) return 2;
        master.emplace(std::move(*first));
        master_watch.emplace(options.db, *master, component("master"));
        downlink.emplace(options.db, *master, options.limits.max_frame_bytes,
                         component("downlink"));
        retention.emplace(options.db, options.retention, *master, component("retention"));
    } catch (const std::exception& e) {
        main_log->critical("cannot read master data from the store db={} error={:?}",
                           store::sql::shown(options.db), e.what());
        return 2;
    }

    gateway::Metrics metrics;
    // Devices seen before a restart stay on the operators' view.
    for (const auto& device : store->devices()) metrics.device_hello(device);

    boost::asio::io_context io;
    gateway::Ingest ingest(*store, *master, metrics, options.limits, component("committer"),
                           options.auth == gateway::Options::Auth::enrolled, options.travel);
    std::optional<gateway::Server> server;
    std::optional<gateway::OperatorConsole> console;
    auto cannot_listen = [&](const std::string& host, std::uint16_t port,
                             const boost::system::system_error& e) {
        main_log->critical("cannot listen address={}:{} error={:?}", host, port,
                           e.code().message());
        return 2;
    };
    try {
        server.emplace(io, ingest, metrics, options, component("session"));
    } catch (const boost::system::system_error& e) {
        return cannot_listen(options.listen_host, options.listen_port, e);
    } catch (const std::runtime_error& e) {
        main_log->critical("{}", e.what());
        return 2;
    }
    if (!options.http_host.empty()) {
        auto readiness = [&]() -> std::string {
            if (!server->accepting()) return "not accepting agents: shutting down";
            if (!ingest.committing()) return "the last commit failed";
            return store::unreachable(options.db);
        };
        try {
            console.emplace(options, metrics, *master, readiness, component("http"),
                            server->local_endpoint().port());
        } catch (const boost::system::system_error& e) {
            return cannot_listen(options.http_host, options.http_port, e);
        }
        console->start();
        auto endpoint = console->local_endpoint();
        std::cout << "operators' http on " << endpoint.address().to_string() << ':'
                  << endpoint.port() << '\n';
    }
    server->serve_downlink(*downlink);
    server->start();

    // SIGHUP: the settings again (docs/operations.md, "Reloading"). On the
    // io thread, so sessions never see a setting half written.
    auto reload = [&] {
        program::service::reloading();
        main_log->info("reloading config={}",
                       options.config_file.empty() ? "none" : options.config_file);
        auto again = gateway::parse_options(argc, argv);
        if (std::holds_alternative<int>(again)) {
            main_log->error(
                "reload refused: the settings are wrong (said above); those in force "
                "are kept");
        } else {
            auto before = options;
            auto changed = gateway::apply_reload(options, std::get<gateway::Options>(again));
            try {
                server->reload_tls(options.tls_cert, options.tls_key);
            } catch (const std::exception& e) {
                main_log->error("tls certificate not reloaded, the one in force is kept error={:?}",
                                e.what());
                options.tls_cert = before.tls_cert;
                options.tls_key = before.tls_key;
                options.settings["tls-cert"] = before.settings["tls-cert"];
                options.settings["tls-key"] = before.settings["tls-key"];
            }
            for (const auto& key : changed.applied)
                main_log->info("setting reloaded key={} value={:?}", key, options.settings[key]);
            // After saying so, so that the line shows whichever way it goes.
            if (options.log_level != before.log_level)
                for (const auto& logger : loggers) logger->set_level(options.log_level);
            for (const auto& key : changed.need_restart)
                main_log->warn(
                    "setting changed but needs a restart key={} running={:?} "
                    "configured={:?}",
                    key, options.settings[key], std::get<gateway::Options>(again).settings[key]);
            if (!options.master.empty()) {
                // A new version goes into the store; the watcher puts it in force.
                try {
                    auto db = store::sql::Database::open(options.db);
                    if (!gateway::master_at_start(*db, options.master, options.gateway_id,
                                                  *main_log))
                        main_log->error(
                            "master data folder not taken, the version in force is "
                            "kept master={}",
                            options.master);
                } catch (const std::exception& e) {
                    main_log->error("master data folder not read master={} error={:?}",
                                    options.master, e.what());
                }
            }
        }
        program::service::ready("reloaded");
    };
    boost::asio::signal_set hangups(io, SIGHUP);
    std::function<void()> await_hangup = [&] {
        hangups.async_wait([&](boost::system::error_code ec, int) {
            if (ec) return;
            reload();
            await_hangup();
        });
    };
    await_hangup();

    // The watchdog is pinged while the committer goes round; a committer
    // stuck for the whole interval lets systemd restart the gateway.
    boost::asio::steady_timer watchdog(io);
    std::function<void()> ping;
    if (auto every = program::service::watchdog_interval()) {
        ping = [&, every = *every] {
            watchdog.expires_after(every / 2);
            watchdog.async_wait([&, every](boost::system::error_code ec) {
                if (ec) return;
                auto quiet = std::chrono::steady_clock::now() - ingest.last_beat();
                if (quiet < every)
                    program::service::watchdog();
                else
                    main_log->error(
                        "the committer has not gone round for {} s",
                        std::chrono::duration_cast<std::chrono::seconds>(quiet).count());
                ping();
            });
        };
        ping();
    }

    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code ec, int signal) {
        if (ec) return;
        program::service::stopping();
        main_log->info("stopping signal={}: finishing the batches in flight", signal);
        hangups.cancel();
        watchdog.cancel();
        server->stop();
        if (console) console->stop();
    });

    // Scripts read this line from standard output to learn the port.
    auto endpoint = server->local_endpoint();
    std::cout << "listening on " << endpoint.address().to_string() << ':' << endpoint.port()
              << std::endl;
    auto in_force = master->now();
    main_log->info("started listen={}:{} db={} master_version={} terminals={} products={} reps={}",
                   endpoint.address().to_string(), endpoint.port(), store::sql::shown(options.db),
                   in_force->version, in_force->data.terminals.size(),
                   in_force->data.products.size(), in_force->data.reps.size());
    program::service::ready("listening on " + endpoint.address().to_string() + ":" +
                            std::to_string(endpoint.port()));
    in_force.reset();

    io.run();
    downlink->stop();
    retention->stop();
    master_watch->stop();
    ingest.stop();
    main_log->info("stopped");
    return 0;
}
