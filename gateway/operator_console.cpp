#include "gateway/operator_console.h"

#include <pthread.h>

#include "core/clock.h"

namespace fieldflow::gateway {

namespace {
HttpLimits upload_limits() {
    HttpLimits limits;
    limits.upload_prefix = BookActions::upload_prefix;
    return limits;
}
}  // namespace

OperatorConsole::OperatorConsole(const Options& options, Metrics& metrics,
                                 const MasterInForce& master, Readiness readiness,
                                 const std::shared_ptr<spdlog::logger>& log,
                                 std::uint16_t agent_port)
    : store_(options.db, options.durability),
      overview_(metrics, store_, master, options.overview),
      books_(store_, options.db, master),
      logins_(io_.get_executor(), store_, metrics, options.login, log),
      maps_(store_, master),
      actions_(options.db, log),
      devices_(store_, metrics, master, options.overview,
               {options.listen_host, agent_port, options.agent_ca}),
      api_(store_, overview_, books_, logins_, maps_, actions_, devices_, master,
           options.personal_data, log),
      exports_(api_, store_, books_, options.db, master),
      http_(io_, options.http_host, options.http_port,
            operator_routes(metrics, std::move(readiness), api_, exports_, options.web_dir), log,
            upload_limits(), options.http_names),
      sampler_(io_) {}

OperatorConsole::~OperatorConsole() {
    stop();
}

// Every five seconds, so that the charts show the last fifteen minutes.
void OperatorConsole::sample() {
    overview_.tick(core::unix_now_ms());
    sampler_.expires_after(std::chrono::seconds(5));
    sampler_.async_wait([this](boost::system::error_code ec) {
        if (!ec) sample();
    });
}

void OperatorConsole::start() {
    http_.start();
    sample();
    thread_ = std::thread([this] {
        pthread_setname_np(pthread_self(), "ff-console");
        io_.run();
    });
}

void OperatorConsole::stop() {
    boost::asio::post(io_, [this] {
        http_.stop();
        logins_.stop();
        sampler_.cancel();
    });
    if (thread_.joinable()) thread_.join();
}

}  // namespace fieldflow::gateway
