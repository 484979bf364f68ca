#include "agent/check_in_position.h"

#include <doctest/doctest.h>

#include <utility>  // before Asio: Boost 1.74 with g++ 12 in C++20 needs it
#include <boost/asio.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <thread>

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

namespace {

// The refusal of a check-in from `source`, or "" when it was taken.
std::string refusal(const agent::PositionSource& source) {
    test::ScratchState dir;
    agent::Outbox outbox(dir.handheld());
    std::ostringstream out;
    try {
        agent::check_in_position(outbox, "T1", source, out);
    } catch (const agent::Refused& e) {
        return e.what();
    }
    return "";
}

agent::PositionSource typed(double lat, double lon, double accuracy) {
    agent::PositionSource source;
    source.lat = lat;
    source.lon = lon;
    source.accuracy_m = accuracy;
    return source;
}

bool names(const std::string& refusal, const std::string& what) {
    return refusal.find(what) != std::string::npos;
}

}  // namespace

TEST_CASE(
    "check-in position: an absurd typed-in accuracy or position is refused, naming the flag") {
    constexpr double inf = std::numeric_limits<double>::infinity();
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK(refusal(typed(31.2304, 121.5060, 10'000)).empty());
    CHECK(refusal(typed(-90, 180, 0)).empty());
    for (double accuracy : {1e300, inf, nan, -1.0, 10'001.0}) {
        INFO("accuracy " << accuracy);
        auto why = refusal(typed(31.2304, 121.5060, accuracy));
        CHECK(names(why, "--accuracy is "));
        CHECK(names(why, "between 0 and 10000 metres"));
    }
    CHECK(names(refusal(typed(nan, 121.5060, 8)), "--lat is nan"));
    CHECK(names(refusal(typed(90.5, 121.5060, 8)), "--lat is 90.5"));
    CHECK(names(refusal(typed(31.2304, -inf, 8)), "--lon is -inf"));
    CHECK(names(refusal(typed(31.2304, 180.5, 8)), "--lon is 180.5"));
}

TEST_CASE("check-in position: a receiver's absurd accuracy is refused, from NMEA and from gpsd") {
    test::ScratchState dir;
    agent::PositionSource replay;
    replay.gps_replay = (dir.path() / "absurd.nmea").string();
    std::ofstream(*replay.gps_replay, std::ios::binary)
        << sentence("GNRMC,031500.00,A,3113.8240,N,12130.3600,E,0.0,0.0,221126,,,A")
        << sentence("GNGGA,031500.00,3113.8240,N,12130.3600,E,1,11,1e300,12.0,M,8.0,M,,");
    CHECK(names(refusal(replay), "the receiver's accuracy (from its HDOP, or gpsd's eph/epx) is"));

    // One gpsd session, served on a loopback port, whose fix claims 1e300 m.
    namespace asio = boost::asio;
    asio::io_context io;
    asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
    std::thread gpsd([&] {
        auto socket = acceptor.accept();
        asio::write(socket, asio::buffer(std::string(R"({"class":"VERSION","release":"3.22"})"
                                                     "\n")));
        asio::streambuf request;
        asio::read_until(socket, request, '\n');  // ?WATCH={...};
        asio::write(
            socket,
            asio::buffer(std::string(
                R"({"class":"TPV","mode":3,"time":"2026-11-22T03:15:00Z","lat":31.2304,"lon":121.506,"eph":1e300})"
                "\n")));
        boost::system::error_code ignored;
        char byte;
        socket.read_some(asio::buffer(&byte, 1), ignored);  // until the agent hangs up
    });
    agent::PositionSource daemon;
    daemon.gpsd = "127.0.0.1:" + std::to_string(acceptor.local_endpoint().port());
    daemon.gps_wait = std::chrono::seconds(1);
    auto why = refusal(daemon);
    gpsd.join();
    CHECK(names(why, "the receiver's accuracy (from its HDOP, or gpsd's eph/epx) is 1e+300"));
}

TEST_CASE("check-in position: gpsd named by an IPv6 address in brackets is the one reached") {
    // A port on ::1 that nothing listens on: the address is resolved, and
    // the connection refused.
    namespace asio = boost::asio;
    asio::io_context io;
    asio::ip::tcp::acceptor closed(io, {asio::ip::make_address("::1"), 0});
    auto port = closed.local_endpoint().port();
    closed.close();
    agent::PositionSource daemon;
    daemon.gpsd = "[::1]:" + std::to_string(port);
    daemon.gps_wait = std::chrono::seconds(1);
    auto why = refusal(daemon);
    CHECK(names(why, "cannot reach gpsd at ::1:" + std::to_string(port)));
}
