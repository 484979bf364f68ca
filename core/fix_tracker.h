#pragma once
// The receiver's latest fix, built from the NMEA sentences it sends, and how
// far it can be trusted for a check-in.

#include <cstdint>
#include <optional>

#include "core/gpsd_json.h"
#include "core/nmea.h"

namespace fieldflow::core {

struct Fix {
    double lat = 0, lon = 0;
    int quality = 0;
    int satellites = 0;
    std::optional<double> hdop;
    // Horizontal accuracy estimate, metres: HDOP times a user equivalent
    // range error of 5 m for a consumer receiver, never below 3 m; 50 m when
    // the receiver gives no HDOP.
    double accuracy_m = 50;
    std::optional<std::int64_t> gps_time_ms;  // UTC from the satellites, when the date is known
};

enum class FixStatus { ok, stale_fix, low_accuracy, no_fix };

struct FixLimits {
    std::int64_t max_age_ms = 120'000;
    double max_accuracy_m = 100;
};

class FixTracker {
  public:
    void feed(const NmeaSentence& sentence);
    void feed(const GpsdTpv& report);

    std::optional<Fix> latest() const { return fix_; }
    // GPS time of the newest sentence that carried one: the receiver's "now".
    std::optional<std::int64_t> now_ms() const { return now_ms_; }
    // Age of the latest fix, measured on the receiver's own clock.
    std::optional<std::int64_t> fix_age_ms() const;
    FixStatus assess(const FixLimits& limits) const;

  private:
    std::optional<Fix> fix_;
    std::optional<std::int64_t> date_ms_;  // midnight UTC of the last RMC date
    std::optional<std::int64_t> now_ms_;
};

}  // namespace fieldflow::core
