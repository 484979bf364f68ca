#include "agent/check_in_position.h"

#include "agent/usage_error.h"

#include "agent/gps_source.h"

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
        return in;
    }
    core::FixLimits limits;
    if (source.max_fix_age_s) limits.max_age_ms = *source.max_fix_age_s * 1000;
    if (source.max_accuracy_m) limits.max_accuracy_m = *source.max_accuracy_m;
    auto reading = [&] {
        if (source.gps_replay) return replay_gps(*source.gps_replay);
        if (source.gps_device) return read_gps_device(*source.gps_device, source.gps_wait, limits);
        auto colon = source.gpsd->rfind(':');
        return read_gpsd(source.gpsd->substr(0, colon), source.gpsd->substr(colon + 1),
                         source.gps_wait, limits);
    }();
    if (reading.clock_skew_ms) outbox.set_clock_skew(*reading.clock_skew_ms);
    auto status = reading.tracker.assess(limits);
    auto fix = reading.tracker.latest();
    if (fix) {
        in.lat = fix->lat;
        in.lon = fix->lon;
        in.accuracy_m = fix->accuracy_m;
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
