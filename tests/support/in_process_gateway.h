#pragma once
// A real gateway in the test's own process: the master fixture's data, a
// scratch store (SQLite, or PostgreSQL when FIELDFLOW_TEST_STORE=postgresql),
// gateway::Ingest and gateway::Server on 127.0.0.1 at a free port, with
// their io_context on a thread of its own. Suites drive a session, an ingest
// or an agent's sync against it and read what it stored, so a failure names
// the function that failed rather than a process's exit code.

#include <utility>
#include <boost/asio.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "core/master_data.h"
#include "gateway/ingest.h"
#include "gateway/metrics.h"
#include "gateway/options.h"
#include "gateway/server.h"
#include "store/gateway_store.h"
#include "support/scratch_store.h"

namespace fieldflow::test {

class InProcessGateway {
  public:
    // `folder` holds the master data and the SQLite store. `options` as the
    // gateway's command line would give them (frame limit, batch limit, auth);
    // its listen address is replaced by 127.0.0.1 and a free port.
    explicit InProcessGateway(const std::filesystem::path& folder,
                              gateway::Options options = open_options());
    // Stops and joins, as stop() does.
    ~InProcessGateway();
    InProcessGateway(const InProcessGateway&) = delete;
    InProcessGateway& operator=(const InProcessGateway&) = delete;

    // Trial gateways take device ids at their word (--auth open).
    static gateway::Options open_options();

    std::uint16_t port() const { return port_; }
    std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
    // The committer's store: read it only while no device is connected, or
    // after stop().
    store::GatewayStore& store() { return *store_; }
    // What --db would name: for store_scalar() and a second reader.
    const std::string& store_location() const { return scratch_.location(); }
    const core::MasterData& master() const { return master_; }

    // Enrols `device` for `rep` and returns the credential it must present.
    std::string enroll(const std::string& device, const std::string& rep);

    // The gateway goes away: it stops accepting, lets each session finish
    // the batch in flight, closes, and commits what it acked. Idempotent.
    void stop();

  private:
    gateway::Options options_;
    ScratchStore scratch_;
    core::MasterData master_;
    std::optional<store::GatewayStore> store_;
    gateway::Metrics metrics_;
    std::optional<gateway::Ingest> ingest_;
    boost::asio::io_context io_;
    std::optional<gateway::Server> server_;
    std::uint16_t port_ = 0;
    std::thread thread_;
    bool stopped_ = false;
};

}  // namespace fieldflow::test
