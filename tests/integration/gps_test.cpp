// Check-ins from a GPS receiver: the fix is taken from the NMEA stream, and
// a stale or coarse fix still checks the rep in, flagged for review.

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

#include "support/gateway_process.h"
#include "support/handheld.h"
#include "support/master_fixture.h"
#include "support/nmea_sentence.h"
#include "support/process.h"

using namespace fieldflow::test;

namespace {

std::string sentence(const std::string& body) { return nmea_sentence(body, "\r\n"); }

// T1 of the master fixture is at 31.2304 N, 121.5060 E: 3113.8240 N, 12130.3600 E.
std::string recording(const std::string& hdop, bool lose_fix) {
    std::string r = sentence("GNRMC,031500.00,A,3113.8240,N,12130.3600,E,0.0,0.0,221126,,,A") +
                    sentence("GNGGA,031500.00,3113.8240,N,12130.3600,E,1,11," + hdop + ",12.0,M,8.0,M,,") +
                    "$GNGGA,garbage*00\r\n";
    if (lose_fix)
        r += sentence("GNRMC,031900.00,V,,,,,,,221126,,,N") + sentence("GNGGA,031900.00,,,,,0,00,99.9,,M,,M,,");
    return r;
}

}  // namespace

TEST_CASE("gps: a good fix checks in cleanly; a lost or coarse one is flagged, never refused") {
    TempDir dir;
    auto master = write_master_fixture(dir.path());
    GatewayProcess gateway(master, dir / "gateway.db", "127.0.0.1:0", dir / "gateway.log");
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    auto write = [&](const std::string& name, const std::string& text) {
        std::ofstream(dir / name, std::ios::binary) << text;
        return dir / name;
    };
    auto good = h({"checkin", "--terminal", "T1", "--gps-replay", write("good.nmea", recording("0.9", false))});
    CHECK(good.code == 0);
    CHECK(good.out.find("1 rejected") != std::string::npos);
    CHECK(h({"checkin", "--terminal", "T1", "--gps-replay", write("lost.nmea", recording("0.9", true))}).code == 0);
    CHECK(h({"checkin", "--terminal", "T1", "--gps-replay", write("coarse.nmea", recording("30.0", false))}).code == 0);
    // A receiver device: its stream also measures the device clock's skew.
    CHECK(h({"checkin", "--terminal", "T1", "--gps", write("tty.nmea", recording("0.9", false)), "--gps-wait", "2"}).code == 0);
    REQUIRE(h({"sync", "--gateway", gateway.address()}).code == 0);

    auto checkins = run({binary("fieldflow"), "records", "--db", dir / "gateway.db", "--kind", "check_in"}).out;
    INFO(checkins);
    CHECK(checkins.find("\"code\":\"stale_fix\",\"detail\":\"the fix was 240 s old\"") != std::string::npos);
    CHECK(checkins.find("\"code\":\"low_accuracy\",\"detail\":\"the fix was only good to 150 m\"") != std::string::npos);
    CHECK(checkins.find("\"fix\":\"ok\"") != std::string::npos);
    CHECK(checkins.find("\"clock_skew_ms\":") != std::string::npos);
    CHECK(store_scalar(dir / "gateway.db",
                       "SELECT count(*) FROM records WHERE kind = 'check_in' AND verdict = 'accepted'") == 2);
}
