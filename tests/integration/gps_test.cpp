// Check-ins from a GPS receiver: the fix is taken from the NMEA stream, and
// a stale or coarse fix still checks the rep in, flagged for review.

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <thread>
#include <utility>
#include <boost/asio.hpp>

#include "support/gateway_process.h"
#include "support/handheld.h"
#include "support/master_fixture.h"
#include "support/nmea_sentence.h"
#include "support/process.h"

using namespace fieldflow::test;

namespace {

std::string sentence(const std::string& body) {
    return nmea_sentence(body, "\r\n");
}

// T1 of the master fixture is at 31.2304 N, 121.5060 E: 3113.8240 N, 12130.3600 E.
std::string recording(const std::string& hdop, bool lose_fix) {
    std::string r =
        sentence("GNRMC,031500.00,A,3113.8240,N,12130.3600,E,0.0,0.0,221126,,,A") +
        sentence("GNGGA,031500.00,3113.8240,N,12130.3600,E,1,11," + hdop + ",12.0,M,8.0,M,,") +
        "$GNGGA,garbage*00\r\n";
    if (lose_fix)
        r += sentence("GNRMC,031900.00,V,,,,,,,221126,,,N") +
             sentence("GNGGA,031900.00,,,,,0,00,99.9,,M,,M,,");
    return r;
}

}  // namespace

TEST_CASE("gps: a good fix checks in cleanly, a lost or coarse one is flagged, never refused") {
    TempDir dir;
    auto master = write_master_fixture(dir.path());
    GatewayProcess gateway(master, dir.store("gateway.db"), "127.0.0.1:0", dir / "gateway.log");
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    auto write = [&](const std::string& name, const std::string& text) {
        std::ofstream(dir / name, std::ios::binary) << text;
        return dir / name;
    };
    auto good = h({"checkin", "--terminal", "T1", "--gps-replay",
                   write("good.nmea", recording("0.9", false))});
    CHECK(good.code == 0);
    CHECK(good.out.find("1 rejected") != std::string::npos);
    CHECK(h({"checkin", "--terminal", "T1", "--gps-replay",
             write("lost.nmea", recording("0.9", true))})
              .code == 0);
    CHECK(h({"checkin", "--terminal", "T1", "--gps-replay",
             write("coarse.nmea", recording("30.0", false))})
              .code == 0);
    // A receiver device: its stream also measures the device clock's skew.
    CHECK(h({"checkin", "--terminal", "T1", "--gps", write("tty.nmea", recording("0.9", false)),
             "--gps-wait", "2"})
              .code == 0);
    REQUIRE(h({"sync", "--gateway", gateway.address()}).code == 0);

    auto checkins =
        run({binary("fieldflow"), "records", "--db", dir.store("gateway.db"), "--kind", "check_in"})
            .out;
    INFO(checkins);
    CHECK(checkins.find("\"code\":\"stale_fix\",\"detail\":\"the fix was 240 s old\"") !=
          std::string::npos);
    CHECK(
        checkins.find("\"code\":\"low_accuracy\",\"detail\":\"the fix was only good to 150 m\"") !=
        std::string::npos);
    CHECK(checkins.find("\"fix\":\"ok\"") != std::string::npos);
    CHECK(checkins.find("\"clock_skew_ms\":") != std::string::npos);
    CHECK(store_scalar(
              dir.store("gateway.db"),
              "SELECT count(*) FROM records WHERE kind = 'check_in' AND verdict = 'accepted'") ==
          2);
}

TEST_CASE("gps: a check-in takes its fix from a gpsd daemon's JSON reports") {
    // A gpsd session as a daemon speaks it, served on a loopback port.
    namespace asio = boost::asio;
    asio::io_context io;
    asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
    auto port = acceptor.local_endpoint().port();
    std::thread gpsd([&] {
        auto socket = acceptor.accept();
        std::string greeting =
            R"({"class":"VERSION","release":"3.22","rev":"3.22","proto_major":3,"proto_minor":14})"
            "\n";
        asio::write(socket, asio::buffer(greeting));
        asio::streambuf request;
        asio::read_until(socket, request, '\n');  // ?WATCH={...};
        std::string reports =
            R"({"class":"DEVICES","devices":[{"class":"DEVICE","path":"/dev/ttyS1"}]})"
            "\n"
            R"({"class":"WATCH","enable":true,"json":true})"
            "\n"
            R"({"class":"TPV","device":"/dev/ttyS1","mode":1,"time":"2026-11-22T03:14:58Z"})"
            "\n"
            R"({"class":"TPV","device":"/dev/ttyS1","mode":3,"time":"2026-11-22T03:15:00Z","lat":31.2304,"lon":121.506,"eph":6.0})"
            "\n";
        asio::write(socket, asio::buffer(reports));
        boost::system::error_code ignored;
        char byte;
        socket.read_some(asio::buffer(&byte, 1), ignored);  // until the agent hangs up
    });
    TempDir dir;
    auto master = write_master_fixture(dir.path());
    GatewayProcess gateway(master, dir.store("gateway.db"), "127.0.0.1:0", dir / "gateway.log");
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    auto checkin = h({"checkin", "--terminal", "T1", "--gpsd", "127.0.0.1:" + std::to_string(port),
                      "--gps-wait", "5"});
    gpsd.join();
    INFO(checkin.out);
    CHECK(checkin.code == 0);
    CHECK(checkin.out.find("fix 31.2304, 121.506") != std::string::npos);
    REQUIRE(h({"sync", "--gateway", gateway.address()}).code == 0);
    CHECK(store_scalar(
              dir.store("gateway.db"),
              "SELECT count(*) FROM records WHERE kind = 'check_in' AND verdict = 'accepted'") ==
          1);
}
