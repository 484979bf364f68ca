#include "support/in_process_gateway.h"

#include "core/clock.h"
#include "store/device_token.h"

#include <stdexcept>

#include "support/master_fixture.h"

namespace fieldflow::test {

namespace {

core::MasterData usable_master(const std::string& folder) {
    auto load = core::load_master_data(folder);
    if (!load.errors.empty())
        throw std::runtime_error("the master fixture in " + folder +
                                 " does not load: " + load.errors.front().message);
    return std::move(load.data);
}

// The store's location and the fixture's folder, filled in before the
// members that need them are made.
gateway::Options own_places(gateway::Options options, const std::string& db,
                            const std::string& master) {
    options.listen_host = "127.0.0.1";
    options.listen_port = 0;
    options.db = db;
    options.master = master;
    options.http_host.clear();
    return options;
}

// The fixture as the store's first version, as `--master DIR` stores it.
gateway::MasterSnapshot stored_master(store::GatewayStore& store, const std::string& folder,
                                      spdlog::logger& log) {
    auto first = gateway::master_at_start(store.db(), folder, "test", log);
    if (!first) throw std::runtime_error("the master fixture in " + folder + " is not usable");
    return *first;
}

}  // namespace

gateway::Options InProcessGateway::open_options() {
    gateway::Options options;
    options.auth = gateway::Options::Auth::open;
    return options;
}

// Warnings and errors reach the test's output; a connection's comings and
// goings (debug) do not.
InProcessGateway::InProcessGateway(gateway::Options options)
    : master_folder_(write_master_fixture(dir_.path())),
      db_(dir_.store("gateway.db")),
      master_(usable_master(master_folder_)),
      options_(own_places(std::move(options), db_, master_folder_)),
      log_(spdlog::level::warn),
      store_(db_, options_.durability),
      master_in_force_(stored_master(store_, master_folder_, *log_.component("master"))),
      master_watch_(db_, master_in_force_, log_.component("master"),
                    std::chrono::milliseconds(100)),
      downlink_(db_, master_in_force_, options_.limits.max_frame_bytes, log_.component("downlink")),
      ingest_(store_, master_in_force_, metrics_, options_.limits, log_.component("committer"),
              options_.auth == gateway::Options::Auth::enrolled, options_.travel),
      server_(io_, ingest_, metrics_, options_, log_.component("session")) {
    store_.db().checkpoint_in_background();
    port_ = server_.local_endpoint().port();
    server_.serve_downlink(downlink_);
    server_.start();
    thread_ = std::thread([this] { io_.run(); });
}

InProcessGateway::~InProcessGateway() {
    stop();
}

std::string InProcessGateway::enroll(const std::string& device, const std::string& rep) {
    auto token = store::new_device_token();
    store::GatewayStore operators(db_);
    operators.enroll(device, rep, store::token_sha256(token), core::unix_now_ms(), "test");
    return token;
}

std::string InProcessGateway::address() const {
    return "127.0.0.1:" + std::to_string(port_);
}

void InProcessGateway::stop() {
    if (stopped_) return;
    stopped_ = true;
    // The server and its sessions belong to the loop's thread.
    boost::asio::post(io_, [this] { server_.stop(); });
    // The loop ends once every session has closed.
    if (thread_.joinable()) thread_.join();
    downlink_.stop();
    master_watch_.stop();
    ingest_.stop();
}

}  // namespace fieldflow::test
