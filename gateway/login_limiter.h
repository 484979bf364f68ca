#pragma once
// How many wrong passwords the operators' login takes before it stops
// trying: per name, so that a patient guesser of one account is stopped,
// and per address, so that one client spraying many names is. A refused
// login is refused before any hashing, the right password included, until
// the failures that caused it have aged out of the window.
// Not thread-safe: the console's thread owns it.

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fieldflow::gateway {

struct LoginLimits {
    unsigned failures_per_name = 5;
    // 0 for no limit. Behind a proxy every login comes from the proxy's
    // address, and this becomes a limit on all logins together.
    unsigned failures_per_address = 20;
    std::chrono::seconds window{15 * 60};
    // Password hashes run on these threads, never on the one that answers
    // probes; logins beyond `max_pending` (hashing or waiting to) get 503.
    unsigned hashing_threads = 2;
    unsigned max_pending = 16;
};

class LoginLimiter {
  public:
    using Clock = std::chrono::steady_clock;
    enum class By { name, address };
    static const char* name(By by) { return by == By::name ? "name" : "address"; }
    struct Refusal {
        By by;
        std::chrono::seconds retry_after;
    };

    explicit LoginLimiter(const LoginLimits& limits) : limits_(limits) {}

    // Why a login from `address` as `name` is refused now, if it is.
    std::optional<Refusal> refused(const std::string& name, const std::string& address,
                                   Clock::time_point now);
    // Counts a wrong password; returns the limits this failure has just
    // reached, each the start of a lockout.
    std::vector<By> failed(const std::string& name, const std::string& address,
                           Clock::time_point now);
    // A right password clears the name's failures (not the address's: one
    // good account must not reset a sprayer's count).
    void succeeded(const std::string& name) { by_name_.erase(name); }

  private:
    using Failures = std::deque<Clock::time_point>;
    using Table = std::map<std::string, Failures, std::less<>>;
    // The failures of `key` still inside the window, the older ones dropped.
    std::size_t recent(Table& table, const std::string& key, Clock::time_point now);
    bool add(Table& table, const std::string& key, unsigned limit, Clock::time_point now);
    std::optional<std::chrono::seconds> locked(Table& table, const std::string& key, unsigned limit,
                                               Clock::time_point now);
    void prune(Table& table, Clock::time_point now);

    LoginLimits limits_;
    Table by_name_, by_address_;
    std::size_t prune_above_ = 1024;
};

}  // namespace fieldflow::gateway
