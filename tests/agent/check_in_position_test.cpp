#include "agent/check_in_position.h"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "agent/scratch_state.h"
#include "agent/usage_error.h"
#include "support/nmea_sentence.h"

using namespace fieldflow;

namespace {

std::string sentence(const std::string& body) {
    return test::nmea_sentence(body, "\r\n");
}

// A fix at T1 of the master fixture (31.2304 N, 121.5060 E), then, with
// `lose_fix`, four minutes without one.
std::string recording(bool lose_fix) {
    std::string r = sentence("GNRMC,031500.00,A,3113.8240,N,12130.3600,E,0.0,0.0,221126,,,A") +
                    sentence("GNGGA,031500.00,3113.8240,N,12130.3600,E,1,11,0.9,12.0,M,8.0,M,,") +
                    "$GNGGA,garbage*00\r\n";
    if (lose_fix)
        r += sentence("GNRMC,031900.00,V,,,,,,,221126,,,N") +
             sentence("GNGGA,031900.00,,,,,0,00,99.9,,M,,M,,");
    return r;
}

}  // namespace

TEST_CASE("check-in position: typed in, it is taken as typed and judged manual") {
    test::ScratchState dir;
    agent::Outbox outbox(dir.handheld());
    agent::PositionSource typed;
    typed.lat = 31.2304;
    typed.lon = 121.5060;
    typed.accuracy_m = 8;
    std::ostringstream out;
    auto in = agent::check_in_position(outbox, "T1", typed, out);
    CHECK(in == core::CheckIn{"T1", 31.2304, 121.5060, 8, core::FixJudgement::manual, 0});
    CHECK(out.str().empty());
}

TEST_CASE("check-in position: with no position and no receiver it is a usage mistake") {
    test::ScratchState dir;
    agent::Outbox outbox(dir.handheld());
    agent::PositionSource none;
    none.lat = 31.2304;  // without --lon and --accuracy
    std::ostringstream out;
    CHECK_THROWS_AS(agent::check_in_position(outbox, "T1", none, out), agent::UsageError);
}

TEST_CASE("check-in position: a recording's last fix is used, and a lost fix is judged stale") {
    test::ScratchState dir;
    agent::Outbox outbox(dir.handheld());
    auto write = [&](const std::string& name, const std::string& text) {
        std::ofstream(dir.path() / name, std::ios::binary) << text;
        return (dir.path() / name).string();
    };
    agent::PositionSource replay;
    replay.gps_replay = write("good.nmea", recording(false));
    std::ostringstream out;
    auto good = agent::check_in_position(outbox, "T1", replay, out);
    CHECK(good.fix == core::FixJudgement::ok);
    CHECK(good.lat == doctest::Approx(31.2304));
    CHECK(good.lon == doctest::Approx(121.5060));
    CHECK(out.str().find("1 rejected") != std::string::npos);
    CHECK(out.str().find("marked for review") == std::string::npos);

    replay.gps_replay = write("lost.nmea", recording(true));
    std::ostringstream lost_out;
    auto lost = agent::check_in_position(outbox, "T1", replay, lost_out);
    CHECK(lost.fix == core::FixJudgement::stale);
    CHECK(lost.fix_age_ms == 240'000);
    CHECK(lost_out.str().find("marked for review") != std::string::npos);
}
