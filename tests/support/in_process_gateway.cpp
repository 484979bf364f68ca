#include "support/in_process_gateway.h"

#include <stdexcept>

#include "core/clock.h"
#include "store/device_token.h"
#include "support/master_fixture.h"

namespace fieldflow::test {

namespace {

core::MasterData load_fixture(const std::filesystem::path& folder) {
    auto load = core::load_master_data(write_master_fixture(folder));
    if (!load.errors.empty())
        throw std::runtime_error("the master fixture does not load: " + load.errors[0].message);
    return load.data;
}

}  // namespace

gateway::Options InProcessGateway::open_options() {
    gateway::Options options;
    options.auth = gateway::Options::Auth::open;
    return options;
}

InProcessGateway::InProcessGateway(const std::filesystem::path& folder, gateway::Options options)
    : options_(std::move(options)), scratch_(folder, "gateway.db"), master_(load_fixture(folder)) {
    options_.listen_host = "127.0.0.1";
    options_.listen_port = 0;
    options_.http_host.clear();
    options_.db = scratch_.location();
    store_.emplace(options_.db, options_.durability);
    ingest_.emplace(*store_, master_, metrics_, options_.limits,
                    options_.auth == gateway::Options::Auth::enrolled);
    server_.emplace(io_, *ingest_, metrics_, options_);
    port_ = server_->local_endpoint().port();
    server_->start();
    thread_ = std::thread([this] { io_.run(); });
}

InProcessGateway::~InProcessGateway() {
    stop();
}

std::string InProcessGateway::enroll(const std::string& device, const std::string& rep) {
    auto token = store::new_device_token();
    auto digest = store::token_sha256(token);
    // Through a connection of its own, as `fieldflow device enroll` does
    // beside a running gateway: the store's own belongs to the committer.
    store::GatewayStore operators(scratch_.location());
    operators.enroll(device, rep, digest, core::unix_now_ms(), "test");
    return token;
}

void InProcessGateway::stop() {
    if (stopped_) return;
    stopped_ = true;
    // The server's state belongs to the io thread: stop it there.
    boost::asio::post(io_, [this] { server_->stop(); });
    thread_.join();
    ingest_->stop();
}

}  // namespace fieldflow::test
