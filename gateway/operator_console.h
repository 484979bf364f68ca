#pragma once
// The operators' side of the gateway: its HTTP listener, its own thread and
// its own connection to the store, so that a browser's slow request or a
// password hash never delays an agent's ack, and a burst of uploads never
// makes the pages hang.

#include <utility>  // before Asio: Boost 1.74 with g++ 12 in C++20 needs it
#include <boost/asio.hpp>

#include <optional>
#include <thread>

#include "gateway/device_routes.h"
#include "gateway/distribution_pages.h"
#include "gateway/export_routes.h"
#include "gateway/http_routes.h"
#include "gateway/http_server.h"
#include "gateway/metrics.h"
#include "gateway/operator_api.h"
#include "gateway/operator_login.h"
#include "gateway/options.h"
#include "gateway/overview.h"
#include "store/gateway_store.h"

namespace fieldflow::gateway {

class OperatorConsole {
  public:
    // Throws boost::system::system_error when the address is unusable, and
    // what the store throws when it cannot be opened.
    // `agent_port` is the agents' listener's, for the enrolment QR code.
    OperatorConsole(const Options& options, Metrics& metrics, const MasterInForce& master,
                    Readiness readiness, const std::shared_ptr<spdlog::logger>& log,
                    std::uint16_t agent_port);
    ~OperatorConsole();
    OperatorConsole(const OperatorConsole&) = delete;
    OperatorConsole& operator=(const OperatorConsole&) = delete;

    boost::asio::ip::tcp::endpoint local_endpoint() const { return http_.local_endpoint(); }
    void start();
    // Closes the listener and every open connection, lets the password
    // hashes under way finish (logins still waiting end unanswered), then
    // joins the thread: a stop takes a second at most.
    void stop();

  private:
    void sample();

    boost::asio::io_context io_;
    store::GatewayStore store_;
    Overview overview_;
    DistributionPages books_;
    OperatorLogin logins_;
    CheckinMaps maps_;
    BookActions actions_;
    DeviceRoutes devices_;
    OperatorApi api_;
    ExportRoutes exports_;
    HttpServer http_;
    boost::asio::steady_timer sampler_;
    std::thread thread_;
};

}  // namespace fieldflow::gateway
