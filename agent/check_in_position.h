#pragma once
// Where a check-in says the rep stood: typed in (--lat/--lon/--accuracy), or
// the latest fix of a receiver (--gps DEVICE), of gpsd (--gpsd HOST:PORT) or
// of a recording (--gps-replay FILE). A fix that is too old or too coarse
// still checks the rep in, marked as such for review at the gateway.

#include <chrono>
#include <optional>
#include <ostream>
#include <string>

#include "agent/outbox.h"
#include "core/record.h"

namespace fieldflow::agent {

struct PositionSource {
    std::optional<double> lat, lon, accuracy_m;  // all three, or a receiver below
    std::optional<std::string> gps_device;
    std::optional<std::string> gps_replay;
    std::optional<std::string> gpsd;  // HOST:PORT
    std::optional<std::int64_t> max_fix_age_s;
    std::optional<double> max_accuracy_m;
    std::chrono::seconds gps_wait{10};
};

// Beyond this a position says nothing about which terminal the rep is at;
// larger, infinite or NaN accuracies are a receiver's or a typist's mistake
// (a float record would turn 1e300 into Infinity) and are refused.
constexpr double max_accuracy_m = 10'000;

// The check-in for `terminal` from `source`. Refused when its latitude,
// longitude or accuracy is not a finite number in range, naming the flag
// or the receiver's field. A receiver's reading is
// described on `out`; a live receiver's clock skew is kept in the outbox.
// Throws UsageError when `source` names no position at all.
core::CheckIn check_in_position(Outbox& outbox, const std::string& terminal,
                                const PositionSource& source, std::ostream& out);

}  // namespace fieldflow::agent
