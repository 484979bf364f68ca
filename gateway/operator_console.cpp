#include "gateway/operator_console.h"

namespace fieldflow::gateway {

OperatorConsole::OperatorConsole(const Options& options, const Metrics& metrics,
                                 Readiness readiness)
    : store_(options.db, options.durability),
      api_(store_),
      http_(io_, options.http_host, options.http_port,
            operator_routes(metrics, std::move(readiness), api_)) {}

OperatorConsole::~OperatorConsole() {
    stop();
}

void OperatorConsole::start() {
    http_.start();
    thread_ = std::thread([this] { io_.run(); });
}

void OperatorConsole::stop() {
    boost::asio::post(io_, [this] { http_.stop(); });
    if (thread_.joinable()) thread_.join();
}

}  // namespace fieldflow::gateway
