// The gateway as a systemd service: it tells the notify socket when it is
// ready and when it reloads, and a SIGHUP takes up the config file without
// dropping the agents connected.

#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "support/gateway_process.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/wire_client.h"

using namespace fieldflow;
using namespace fieldflow::test;

namespace {

// A socket where the gateway sends what sd_notify says, as systemd's is.
class NotifySocket {
  public:
    explicit NotifySocket(const std::string& path) : path_(path) {
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        path.copy(address.sun_path, sizeof address.sun_path - 1);
        REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        timeval wait{10, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
        ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
    }
    ~NotifySocket() {
        ::unsetenv("NOTIFY_SOCKET");
        ::close(fd_);
        ::unlink(path_.c_str());
    }
    // The next message; empty after ten seconds of silence.
    std::string next() {
        char buffer[4096];
        auto got = ::recv(fd_, buffer, sizeof buffer, 0);
        return got > 0 ? std::string(buffer, static_cast<std::size_t>(got)) : std::string();
    }
    // Messages until one holds `state`; false if none does in time.
    bool wait_for(const std::string& state) {
        for (int i = 0; i < 100; ++i) {
            auto message = next();
            if (message.empty()) return false;
            if (message.find(state) != std::string::npos) return true;
        }
        return false;
    }

  private:
    std::string path_;
    int fd_ = -1;
};

std::string gateway_id_of_welcome(WireClient& client, const std::string& device) {
    client.hello(device);
    auto reply = client.receive();
    REQUIRE(reply.has_value());
    REQUIRE(reply->isWelcome());
    return reply->getWelcome().getGatewayId();
}

// T1 of the master fixture.
constexpr double t1_lat = 31.2304, t1_lon = 121.5060;

}  // namespace

TEST_CASE("service: SIGHUP reloads the config file and a connected agent carries on") {
    TempDir dir;
    std::string master = write_master_fixture(dir.path()), db = dir.store("gateway.db");
    std::string config = dir / "gateway.toml", log = dir / "gateway.log";
    std::ofstream(config) << "gateway-id = \"before\"\nflow-late-days = 3\n";
    NotifySocket notify(dir / "notify");
    // As systemd asks for WatchdogSec=1.
    ::setenv("WATCHDOG_USEC", "1000000", 1);
    GatewayProcess gateway(master, db, "127.0.0.1:0", log, {"--config", config});
    ::unsetenv("WATCHDOG_USEC");
    CHECK(notify.wait_for("READY=1"));
    // The committer goes round while idle, so the watchdog hears from it.
    CHECK(notify.wait_for("WATCHDOG=1"));

    WireClient connected(gateway.address());
    CHECK(gateway_id_of_welcome(connected, "dev-001") == "before");

    std::ofstream(config) << "gateway-id = \"after\"\nflow-late-days = 9\n";
    gateway.process().signal(SIGHUP);
    CHECK(notify.wait_for("RELOADING=1"));
    CHECK(notify.wait_for("READY=1"));

    // The connection open before the reload is still served.
    connected.batch({check_in_record("dev-001", 1, "T1", t1_lat, t1_lon)});
    auto ack = connected.receive();
    REQUIRE(ack.has_value());
    REQUIRE(ack->isAck());
    CHECK(ack->getAck().getResults()[0].getVerdict() == wire::Verdict::ACCEPTED);

    // What can change live has; what cannot is named in the log.
    WireClient later(gateway.address());
    CHECK(gateway_id_of_welcome(later, "dev-002") == "after");
    auto text = read_file(log);
    CHECK(text.find("setting reloaded key=gateway-id value=\"after\"") != std::string::npos);
    CHECK(text.find("setting changed but needs a restart key=flow-late-days running=\"3\" "
                    "configured=\"9\"") != std::string::npos);
}

TEST_CASE("service: a config file with a mistake is refused on SIGHUP and the settings stay") {
    TempDir dir;
    std::string master = write_master_fixture(dir.path()), db = dir.store("gateway.db");
    std::string config = dir / "gateway.toml", log = dir / "gateway.log";
    std::ofstream(config) << "gateway-id = \"before\"\n";
    NotifySocket notify(dir / "notify");
    GatewayProcess gateway(master, db, "127.0.0.1:0", log, {"--config", config});
    CHECK(notify.wait_for("READY=1"));

    std::ofstream(config) << "gateway-id = \"after\"\ngateway-idd = \"typo\"\n";
    gateway.process().signal(SIGHUP);
    CHECK(notify.wait_for("READY=1"));
    WireClient later(gateway.address());
    CHECK(gateway_id_of_welcome(later, "dev-001") == "before");
    auto text = read_file(log);
    CHECK(text.find("line 2: unknown key \"gateway-idd\"") != std::string::npos);
    CHECK(text.find("reload refused") != std::string::npos);
}
