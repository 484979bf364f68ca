#pragma once
// An operator's login, from name and password to a verdict: the limits of
// gateway/login_limiter.h first, then one password hash on a small pool of
// its own, so that the console's thread keeps answering probes and pages
// while logins are hammered, and a stop does not wait behind a queue of
// hashes. An unknown name is checked against a hash made at start, so that
// it costs what a known one costs and timing does not tell which exist.
// Failures and lockouts go to the audit log and to /metrics.

#include <utility>  // before Asio: Boost 1.74 with g++ 12 in C++20 needs it
#include <boost/asio.hpp>

#include <spdlog/logger.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/log_throttle.h"
#include "gateway/login_limiter.h"
#include "gateway/metrics.h"
#include "store/gateway_store.h"

namespace fieldflow::gateway {

struct LoginVerdict {
    enum class Result { ok, wrong, locked_out, busy } result = Result::wrong;
    std::optional<store::Operator> who;   // when ok
    std::chrono::seconds retry_after{0};  // when locked_out or busy
};

// Whether `password` is the one `stored` was made from (store::password_matches).
using PasswordCheck = std::function<bool(std::string_view password, std::string_view stored)>;

class OperatorLogin {
  public:
    using Clock = LoginLimiter::Clock;

    // `executor` is the console's: attempt() is called there and `done`
    // runs there; `store` is that thread's connection.
    OperatorLogin(boost::asio::any_io_executor executor, store::GatewayStore& store,
                  Metrics& metrics, const LoginLimits& limits, std::shared_ptr<spdlog::logger> log,
                  PasswordCheck check = store::password_matches,
                  std::function<Clock::time_point()> clock = Clock::now);
    // Stops, and waits for the hashes under way.
    ~OperatorLogin();
    OperatorLogin(const OperatorLogin&) = delete;
    OperatorLogin& operator=(const OperatorLogin&) = delete;

    void attempt(const std::string& name, std::string password, const std::string& address,
                 std::function<void(LoginVerdict)> done);
    // Logins still waiting for a thread end as busy without hashing; the
    // hashes under way finish (one each, well under a second).
    void stop() { stopping_ = true; }

  private:
    void settle(const std::string& name, const std::string& address,
                const std::optional<store::Operator>& who, bool matches,
                const std::function<void(LoginVerdict)>& done);
    void audit(const std::string& name, const std::string& action, const std::string& detail);
    const std::string& unknown_name_hash();

    boost::asio::any_io_executor executor_;
    store::GatewayStore& store_;
    Metrics& metrics_;
    LoginLimits limits_;
    std::shared_ptr<spdlog::logger> log_;
    PasswordCheck check_;
    std::function<Clock::time_point()> clock_;
    LoginLimiter limiter_;
    // A locked-out name hammered costs no hash, so its refusals could be
    // logged without bound: once a minute, with how many were left out.
    LogThrottle refusals_{std::chrono::minutes(1)};
    unsigned pending_ = 0;  // on the console's thread only
    std::atomic<bool> stopping_{false};
    std::once_flag unknown_once_;
    std::string unknown_;
    boost::asio::thread_pool pool_;  // last: joined before the rest goes
};

}  // namespace fieldflow::gateway
