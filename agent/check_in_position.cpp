#include "agent/check_in_position.h"

#include <cmath>
#include <sstream>

#include "agent/gps_source.h"
#include "agent/usage_error.h"
#include "program/command_line.h"

namespace fieldflow::agent {

namespace {

core::FixJudgement judgement(core::FixStatus status) {
    switch (status) {
        case core::FixStatus::ok:
            return core::FixJudgement::ok;
        case core::FixStatus::stale_fix:
            return core::FixJudgement::stale;
        case core::FixStatus::low_accuracy:
            return core::FixJudgement::low_accuracy;
        case core::FixStatus::no_fix:
            return core::FixJudgement::none;
    }
    return core::FixJudgement::none;
}

std::string shown(double value) {
    std::ostringstream text;
    text << value;
    return text.str();
}

// `lat`, `lon`, `accuracy`: how the rep knows each value (a flag, or what
// the receiver sent), for the refusal.
void require_plausible(const core::CheckIn& in, const std::string& lat, const std::string& lon,
                       const std::string& accuracy) {
    auto refuse = [](const std::string& what, double value, const std::string& range) {
        throw Refused(what + " is " + shown(value) + ": it must be " + range +
                      "; nothing was saved");
    };
    if (!std::isfinite(in.lat) || std::abs(in.lat) > 90)
        refuse(lat, in.lat, "a latitude between -90 and 90 degrees");
    if (!std::isfinite(in.lon) || std::abs(in.lon) > 180)
        refuse(lon, in.lon, "a longitude between -180 and 180 degrees");
    if (!std::isfinite(in.accuracy_m) || in.accuracy_m < 0 || in.accuracy_m > max_accuracy_m)
        refuse(accuracy, in.accuracy_m,
               "between 0 and " + shown(max_accuracy_m) +
                   " metres (a fix coarser than that "
                   "does not place the rep at a terminal)");
}

}  // namespace

core::CheckIn check_in_position(Outbox& outbox, const std::string& terminal,
                                const PositionSource& source, std::ostream& out) {
    core::CheckIn in;
    in.terminal = terminal;
    if (!source.gps_device && !source.gps_replay && !source.gpsd) {
        if (!source.lat || !source.lon || !source.accuracy_m)
            throw UsageError(
                "checkin needs --lat, --lon and --accuracy, or one of --gps, --gps-replay and "
                "--gpsd");
        in.lat = *source.lat;
        in.lon = *source.lon;
        in.accuracy_m = *source.accuracy_m;
        require_plausible(in, "--lat", "--lon", "--accuracy");
        return in;
    }
    core::FixLimits limits;
    if (source.max_fix_age_s) limits.max_age_ms = *source.max_fix_age_s * 1000;
    if (source.max_accuracy_m) limits.max_accuracy_m = *source.max_accuracy_m;
    auto reading = [&] {
        if (source.gps_replay) return replay_gps(*source.gps_replay);
        if (source.gps_device) return read_gps_device(*source.gps_device, source.gps_wait, limits);
        auto at = program::endpoint(*source.gpsd, "--gpsd");
        return read_gpsd(at.host, std::to_string(at.port), source.gps_wait, limits);
    }();
    if (reading.clock_skew_ms) outbox.set_clock_skew(*reading.clock_skew_ms);
    auto status = reading.tracker.assess(limits);
    auto fix = reading.tracker.latest();
    if (fix) {
        in.lat = fix->lat;
        in.lon = fix->lon;
        in.accuracy_m = fix->accuracy_m;
        require_plausible(in, "the receiver's latitude", "the receiver's longitude",
                          "the receiver's accuracy (from its HDOP, or gpsd's eph/epx)");
    }
    in.fix = judgement(status);
    in.fix_age_ms = reading.tracker.fix_age_ms().value_or(0);
    out << "GPS: " << reading.sentences << " sentences (" << reading.rejected << " rejected); ";
    if (fix)
        out << "fix " << in.lat << ", " << in.lon << " ±" << static_cast<int>(in.accuracy_m)
            << " m, " << fix->satellites << " satellites, " << in.fix_age_ms / 1000 << " s old";
    else
        out << "no fix: checking in without a position";
    if (status != core::FixStatus::ok) out << " — the check-in will be marked for review";
    out << '\n';
    return in;
}

}  // namespace fieldflow::agent
