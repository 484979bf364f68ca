#pragma once
// A gateway inside the test's own process: the master fixture in a scratch
// folder, a scratch store (SQLite, or PostgreSQL when the suite runs on it:
// support/scratch_store.h), the committer, and the agents' listener on
// 127.0.0.1 with a port of its own, its io_context on a thread of its own.
// A failure then names the function that failed, not a process's exit code;
// and a test reaches the store, the metrics and the shutdown directly.

#include <utility>  // before Asio: Boost 1.74 with g++ 12 in C++20 needs it
#include <boost/asio.hpp>

#include <cstdint>
#include <string>
#include <thread>

#include "core/master_data.h"
#include "gateway/downlink.h"
#include "gateway/ingest.h"
#include "gateway/master_in_force.h"
#include "gateway/master_watch.h"
#include "gateway/metrics.h"
#include "gateway/options.h"
#include "gateway/server.h"
#include "program/log.h"
#include "store/gateway_store.h"
#include "support/process.h"

namespace fieldflow::test {

class InProcessGateway {
  public:
    // Options as the command line would give them; the listener, the store
    // and the master data are the gateway's own. Devices are taken at their
    // word (--auth open) unless `options` asks for enrolment.
    explicit InProcessGateway(gateway::Options options = open_options());
    // Stops as a SIGTERM stops the real one, if stop() was not called.
    ~InProcessGateway();
    InProcessGateway(const InProcessGateway&) = delete;
    InProcessGateway& operator=(const InProcessGateway&) = delete;

    // The defaults of the command line, with --auth open.
    static gateway::Options open_options();

    std::uint16_t port() const { return port_; }
    // "127.0.0.1:PORT", as WireClient takes it.
    std::string address() const;
    // The store as the committer has it; read it only once the gateway is
    // stopped, or through db() from another connection.
    store::GatewayStore& store() { return store_; }
    // The store's location, for store_scalar().
    const std::string& db() const { return db_; }
    const std::string& master_folder() const { return master_folder_; }
    const core::MasterData& master() const { return master_; }
    // The master data the gateway judges against and sends down: the
    // fixture, stored as version 1, until a test imports another version
    // into the store, which is taken up within about 100 ms.
    const gateway::MasterInForce& master_in_force() const { return master_in_force_; }
    gateway::Metrics& metrics() { return metrics_; }
    const gateway::Options& options() const { return options_; }

    // Enrols `device` for `rep` and returns the credential it must present,
    // through a store connection of its own, as `fieldflow device enroll`
    // does beside a running gateway.
    std::string enroll(const std::string& device, const std::string& rep);

    // Stops accepting, lets every connection finish the batches it has
    // with the committer and get their acks, commits what is queued, and
    // joins the threads.
    void stop();

  private:
    TempDir dir_;
    std::string master_folder_;
    std::string db_;
    core::MasterData master_;
    gateway::Options options_;
    program::Log log_;
    store::GatewayStore store_;
    gateway::MasterInForce master_in_force_;
    gateway::MasterWatch master_watch_;
    gateway::Downlink downlink_;
    gateway::Metrics metrics_;
    boost::asio::io_context io_;
    gateway::Ingest ingest_;
    gateway::Server server_;
    std::uint16_t port_ = 0;
    std::thread thread_;
    bool stopped_ = false;
};

}  // namespace fieldflow::test
