// serve's GPS follower against a gpsd served in-process.

#include "agent/gps_follow.h"

#include <doctest/doctest.h>

#include "program/log.h"

using namespace fieldflow;
namespace asio = boost::asio;

TEST_CASE("gps follow: gpsd named by an IPv6 address in brackets is followed") {
    asio::io_context io;
    asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("::1"), 0});
    asio::ip::tcp::socket peer(io);
    asio::streambuf watch;
    const std::string report =
        R"({"class":"TPV","mode":3,"time":"2026-11-22T03:15:00Z","lat":31.2304,"lon":121.506,"eph":5})"
        "\n";
    // One gpsd session: the agent's ?WATCH, then one fix.
    acceptor.async_accept(peer, [&](boost::system::error_code ec) {
        REQUIRE_FALSE(ec);
        asio::async_read_until(peer, watch, '\n', [&](boost::system::error_code read, std::size_t) {
            REQUIRE_FALSE(read);
            asio::async_write(peer, asio::buffer(report), [](auto, std::size_t) {});
        });
    });

    agent::GpsSource source;
    source.gpsd = "[::1]:" + std::to_string(acceptor.local_endpoint().port());
    agent::GpsFollow gps(io, source, core::FixLimits{},
                         program::Log(spdlog::level::off).component("gps"));
    gps.start();
    for (int i = 0; i < 100 && !gps.current(); ++i) {
        io.restart();
        io.run_for(std::chrono::milliseconds(20));
    }
    gps.stop();

    auto now = gps.current();
    REQUIRE(now);
    CHECK(now->fix.lat == doctest::Approx(31.2304));
    CHECK(now->fix.lon == doctest::Approx(121.506));
}
