// fieldflow-gateway: receives agents' record streams, judges every record
// against the master data, commits it, and only then acks it.

#include <utility>
#include <boost/asio.hpp>

#include <csignal>
#include <iostream>

#include "core/master_data.h"
#include "gateway/ingest.h"
#include "gateway/metrics.h"
#include "gateway/operator_console.h"
#include "gateway/options.h"
#include "gateway/server.h"
#include "store/gateway_store.h"

using namespace fieldflow;

int main(int argc, char** argv) {
    std::string error;
    auto options = gateway::parse_options({argv + 1, argv + argc}, error);
    if (!options) {
        std::cerr << error;
        return 2;
    }

    auto master = core::load_master_data(options->master);
    bool whole_file_unusable = false;
    for (const auto& e : master.errors) {
        std::cerr << e.file << ':' << e.line << ": " << e.message << '\n';
        // Line 0 is a file that cannot be opened, line 1 a header without a
        // required column: judging against half the master data would
        // reject or flag good records wholesale.
        whole_file_unusable |= e.line <= 1;
    }
    if (whole_file_unusable || master.data.terminals.empty() || master.data.reps.empty()) {
        std::cerr << "fieldflow-gateway: the master data in " << options->master
                  << " is not usable\n";
        return 2;
    }

    std::optional<store::GatewayStore> store;
    try {
        store.emplace(options->db, options->durability);
        store->db().checkpoint_in_background();  // the committer's thread only commits
    } catch (const std::exception& e) {
        std::cerr << "fieldflow-gateway: cannot open store " << options->db << ": " << e.what()
                  << '\n';
        return 2;
    }

    gateway::Metrics metrics;
    // Devices seen before a restart stay on the operators' view.
    for (const auto& device : store->devices()) metrics.device_hello(device);

    boost::asio::io_context io;
    gateway::Ingest ingest(*store, master.data, metrics, options->limits,
                           options->auth == gateway::Options::Auth::enrolled);
    std::optional<gateway::Server> server;
    std::optional<gateway::OperatorConsole> console;
    auto cannot_listen = [](const std::string& host, std::uint16_t port,
                            const boost::system::system_error& e) {
        std::cerr << "fieldflow-gateway: cannot listen on " << host << ':' << port << ": "
                  << e.code().message() << '\n';
        return 2;
    };
    try {
        server.emplace(io, ingest, metrics, *options);
    } catch (const boost::system::system_error& e) {
        return cannot_listen(options->listen_host, options->listen_port, e);
    } catch (const std::runtime_error& e) {
        std::cerr << "fieldflow-gateway: " << e.what() << '\n';
        return 2;
    }
    if (!options->http_host.empty()) {
        auto readiness = [&]() -> std::string {
            if (!server->accepting()) return "not accepting agents: shutting down";
            if (!ingest.committing()) return "the last commit failed";
            return store::unreachable(options->db);
        };
        try {
            console.emplace(*options, metrics, master.data, readiness);
        } catch (const boost::system::system_error& e) {
            return cannot_listen(options->http_host, options->http_port, e);
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
        std::cerr << "signal " << signal << ": finishing batches in flight\n";
        server->stop();
        if (console) console->stop();
    });

    auto endpoint = server->local_endpoint();
    std::cout << "listening on " << endpoint.address().to_string() << ':' << endpoint.port()
              << std::endl;
    std::cerr << "store " << options->db << ", " << master.data.terminals.size() << " terminals, "
              << master.data.products.size() << " products, " << master.data.reps.size()
              << " reps\n";

    io.run();
    ingest.stop();
    std::cerr << "stopped\n";
    return 0;
}
