// fieldflow-gateway: receives agents' record streams, judges every record
// against the master data, commits it, and only then acks it.

#include <utility>
#include <boost/asio.hpp>

#include <csignal>
#include <iostream>
#include <variant>

#include "core/master_data.h"
#include "gateway/ingest.h"
#include "gateway/metrics.h"
#include "gateway/operator_console.h"
#include "gateway/options.h"
#include "gateway/server.h"
#include "program/log.h"
#include "store/gateway_store.h"

using namespace fieldflow;

int main(int argc, char** argv) {
    auto parsed = gateway::parse_options(argc, argv);
    if (auto* exit = std::get_if<int>(&parsed)) return *exit;
    const auto& options = std::get<gateway::Options>(parsed);

    program::Log log(options.log_level);
    auto main_log = log.component("gateway");

    auto master = core::load_master_data(options.master);
    bool whole_file_unusable = false;
    for (const auto& e : master.errors) {
        // Line 0 is a file that cannot be opened, line 1 a header without a
        // required column: judging against half the master data would
        // reject or flag good records wholesale.
        bool whole_file = e.line <= 1;
        main_log->log(whole_file ? spdlog::level::err : spdlog::level::warn,
                      "master data {} at={}:{} why={:?}",
                      whole_file ? "file unusable" : "row skipped", e.file, e.line, e.message);
        whole_file_unusable |= whole_file;
    }
    if (whole_file_unusable || master.data.terminals.empty() || master.data.reps.empty()) {
        main_log->critical("master data not usable master={}", options.master);
        return 2;
    }

    std::optional<store::GatewayStore> store;
    try {
        store.emplace(options.db, options.durability);
        // The committer's thread only commits.
        store->db().checkpoint_in_background(
            [store_log = log.component("store")](const std::string& what) {
                store_log->warn("{}", what);
            });
    } catch (const std::exception& e) {
        main_log->critical("cannot open store db={} error={:?}", store::sql::shown(options.db),
                           e.what());
        return 2;
    }

    gateway::Metrics metrics;
    // Devices seen before a restart stay on the operators' view.
    for (const auto& device : store->devices()) metrics.device_hello(device);

    boost::asio::io_context io;
    gateway::Ingest ingest(*store, master.data, metrics, options.limits, log.component("committer"),
                           options.auth == gateway::Options::Auth::enrolled);
    std::optional<gateway::Server> server;
    std::optional<gateway::OperatorConsole> console;
    auto cannot_listen = [&](const std::string& host, std::uint16_t port,
                             const boost::system::system_error& e) {
        main_log->critical("cannot listen address={}:{} error={:?}", host, port,
                           e.code().message());
        return 2;
    };
    try {
        server.emplace(io, ingest, metrics, options, log.component("session"));
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
            console.emplace(options, metrics, master.data, readiness, log.component("http"));
        } catch (const boost::system::system_error& e) {
            return cannot_listen(options.http_host, options.http_port, e);
        }
        console->start();
        auto endpoint = console->local_endpoint();
        std::cout << "operators' http on " << endpoint.address().to_string() << ':'
                  << endpoint.port() << '\n';
    }
    server->start();

    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code ec, int signal) {
        if (ec) return;
        main_log->info("stopping signal={}: finishing the batches in flight", signal);
        server->stop();
        if (console) console->stop();
    });

    // Scripts read this line from standard output to learn the port.
    auto endpoint = server->local_endpoint();
    std::cout << "listening on " << endpoint.address().to_string() << ':' << endpoint.port()
              << std::endl;
    main_log->info("started listen={}:{} db={} terminals={} products={} reps={}",
                   endpoint.address().to_string(), endpoint.port(), store::sql::shown(options.db),
                   master.data.terminals.size(), master.data.products.size(),
                   master.data.reps.size());

    io.run();
    ingest.stop();
    main_log->info("stopped");
    return 0;
}
