#pragma once
// Where a check-in's fix comes from: a receiver's NMEA stream on a serial
// device (read until a fix arrives or the wait is over), or a recorded
// stream replayed from a file. Device-specific code stays here.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/fix_tracker.h"

namespace fieldflow::agent {

struct GpsReading {
    core::FixTracker tracker;
    int sentences = 0;
    int rejected = 0;  // lines that were not valid sentences (bad checksum...)
    // Device clock minus GPS time, from a live receiver only: a replayed
    // recording says nothing about this device's clock.
    std::optional<std::int64_t> clock_skew_ms;
};

// A recording: every line of the file (at most 1 MiB of it).
GpsReading replay_gps(const std::string& path);

// A gpsd daemon at host:port: asks it to WATCH in JSON and reads TPV
// reports until a usable fix or until `wait` has passed.
GpsReading read_gpsd(const std::string& host, const std::string& port,
                     std::chrono::milliseconds wait, const core::FixLimits& limits);

// A live receiver: reads until a usable fix or until `wait` has passed.
GpsReading read_gps_device(const std::string& path, std::chrono::milliseconds wait,
                           const core::FixLimits& limits);

}  // namespace fieldflow::agent
