#pragma once
// A bound on how often one log line may be written. spdlog has no rate
// limiter of its own, and an error that repeats in a loop (a listener that
// fails every accept) would otherwise fill the disk: the line is written
// at most once per interval, and the next one that is written says how
// many were left out meanwhile.

#include <chrono>
#include <cstdint>
#include <optional>

namespace fieldflow::gateway {

class LogThrottle {
  public:
    using Clock = std::chrono::steady_clock;

    explicit LogThrottle(Clock::duration interval) : interval_(interval) {}

    // Whether to write the line now: the number of repeats left out since
    // the last one written, or nullopt to leave this one out too.
    std::optional<std::uint64_t> admit(Clock::time_point now) {
        if (written_ && now - *written_ < interval_) {
            ++suppressed_;
            return std::nullopt;
        }
        written_ = now;
        std::uint64_t left_out = suppressed_;
        suppressed_ = 0;
        return left_out;
    }

  private:
    Clock::duration interval_;
    std::optional<Clock::time_point> written_;
    std::uint64_t suppressed_ = 0;
};

}  // namespace fieldflow::gateway
