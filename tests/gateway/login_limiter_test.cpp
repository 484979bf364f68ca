// The login limits on their own, with time handed in: a lockout, its end
// when the window passes, and the per-address limit beside the per-name one.

#include <doctest/doctest.h>

#include "gateway/log_throttle.h"
#include "gateway/login_limiter.h"

using namespace fieldflow::gateway;
using namespace std::chrono_literals;

TEST_CASE("login limits: the fifth failure locks the name out until the window has passed") {
    LoginLimiter limiter(LoginLimits{});
    auto t0 = LoginLimiter::Clock::time_point{} + 1h;
    for (int i = 0; i < 4; ++i) {
        CHECK_FALSE(limiter.refused("zhang", "10.0.0.1", t0 + i * 1s));
        CHECK(limiter.failed("zhang", "10.0.0.1", t0 + i * 1s).empty());
    }
    auto reached = limiter.failed("zhang", "10.0.0.1", t0 + 4s);
    REQUIRE(reached.size() == 1);
    CHECK(reached[0] == LoginLimiter::By::name);

    auto refused = limiter.refused("zhang", "10.0.0.1", t0 + 5s);
    REQUIRE(refused);
    CHECK(refused->by == LoginLimiter::By::name);
    // Free once the first of the five is fifteen minutes old.
    CHECK(refused->retry_after == 15min - 5s);
    CHECK_FALSE(limiter.refused("li", "10.0.0.1", t0 + 5s));

    CHECK(limiter.refused("zhang", "10.0.0.2", t0 + 15min - 1s));
    CHECK_FALSE(limiter.refused("zhang", "10.0.0.2", t0 + 15min));
    // The later failures still count: one more and it is locked again.
    CHECK_FALSE(limiter.failed("zhang", "10.0.0.1", t0 + 15min).empty());
    CHECK(limiter.refused("zhang", "10.0.0.1", t0 + 15min));
}

TEST_CASE("login limits: a right password clears the name's failures") {
    LoginLimiter limiter(LoginLimits{});
    auto t0 = LoginLimiter::Clock::time_point{} + 1h;
    for (int i = 0; i < 4; ++i) limiter.failed("zhang", "10.0.0.1", t0);
    limiter.succeeded("zhang");
    for (int i = 0; i < 4; ++i) limiter.failed("zhang", "10.0.0.1", t0);
    CHECK_FALSE(limiter.refused("zhang", "10.0.0.1", t0));
}

TEST_CASE("login limits: one address failing under many names is locked out, others are not") {
    LoginLimits limits;
    limits.failures_per_address = 3;
    LoginLimiter limiter(limits);
    auto t0 = LoginLimiter::Clock::time_point{} + 1h;
    limiter.failed("a", "10.0.0.1", t0);
    limiter.failed("b", "10.0.0.1", t0);
    auto reached = limiter.failed("c", "10.0.0.1", t0 + 1s);
    REQUIRE(reached.size() == 1);
    CHECK(reached[0] == LoginLimiter::By::address);
    auto refused = limiter.refused("zhang", "10.0.0.1", t0 + 2s);
    REQUIRE(refused);
    CHECK(refused->by == LoginLimiter::By::address);
    CHECK(refused->retry_after == 15min - 2s);
    CHECK_FALSE(limiter.refused("zhang", "10.0.0.2", t0 + 2s));

    limits.failures_per_address = 0;  // no limit
    LoginLimiter unlimited(limits);
    for (int i = 0; i < 100; ++i) unlimited.failed("n" + std::to_string(i), "10.0.0.1", t0);
    CHECK_FALSE(unlimited.refused("zhang", "10.0.0.1", t0));
}

TEST_CASE("log throttle: a repeated line is written once an interval, with the count left out") {
    LogThrottle throttle(60s);
    auto t0 = LogThrottle::Clock::time_point{} + 1h;
    CHECK(throttle.admit(t0) == std::optional<std::uint64_t>(0));
    for (int i = 1; i <= 1000; ++i) CHECK_FALSE(throttle.admit(t0 + i * 10ms));
    CHECK(throttle.admit(t0 + 60s) == std::optional<std::uint64_t>(1000));
    CHECK_FALSE(throttle.admit(t0 + 61s));
    CHECK(throttle.admit(t0 + 200s) == std::optional<std::uint64_t>(1));
}
