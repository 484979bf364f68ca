#pragma once
// The latest fix while `serve` runs, from whichever source the handheld
// has: gpsd (one connection kept open, reconnected after a pause when it
// drops), a receiver's NMEA stream on a serial device (reopened the same
// way), or a recording read whole at start. Device-specific reading stays
// here; the fix is judged by core::FixTracker as `checkin` judges it.

#include <utility>  // before Asio: Boost 1.74 with g++ 12 in C++20 needs it
#include <boost/asio.hpp>

#include <spdlog/logger.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/fix_tracker.h"

namespace fieldflow::agent {

struct GpsSource {
    std::optional<std::string> gpsd;    // HOST:PORT
    std::optional<std::string> device;  // a receiver's serial device
    std::optional<std::string> replay;  // a recording of NMEA sentences
};

struct CurrentFix {
    core::Fix fix;
    core::FixStatus status = core::FixStatus::no_fix;
    std::int64_t age_ms = 0;
};

class GpsFollow {
  public:
    // Throws Refused (agent/outbox.h) when a recording cannot be read.
    GpsFollow(boost::asio::io_context& io, GpsSource source, core::FixLimits limits,
              std::shared_ptr<spdlog::logger> log);
    ~GpsFollow();
    GpsFollow(const GpsFollow&) = delete;
    GpsFollow& operator=(const GpsFollow&) = delete;

    void start();
    void stop();
    // The latest fix and how far it can be trusted now; nullopt before any.
    std::optional<CurrentFix> current() const;

  private:
    struct Live;
    void connect_gpsd();
    void open_device();
    void read_line();
    void take(const std::string& line);
    void again();

    GpsSource source_;
    core::FixLimits limits_;
    std::shared_ptr<spdlog::logger> log_;
    core::FixTracker tracker_;
    // When the latest fix arrived, on this device's clock: a live source
    // that falls silent leaves a fix that ages, whatever its own time said.
    std::optional<std::chrono::steady_clock::time_point> received_;
    bool replayed_ = false;
    bool stopped_ = false;
    std::unique_ptr<Live> live_;
};

}  // namespace fieldflow::agent
