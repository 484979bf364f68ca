// The gateway as a systemd service: it tells the notify socket when it is
// ready and when it reloads, and a SIGHUP takes up the config file without
// dropping the agents connected.

#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <capnp/serialize.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "net/client_connection.h"
#include "support/gateway_process.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/test_ca.h"
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

// An agent's session over TLS, trusting `ca`, one message at a time.
class TlsAgent {
  public:
    TlsAgent(const std::string& port, const std::string& ca)
        : connection_("localhost", port, std::chrono::seconds(10), ca) {}

    // Hello as `device`; the gateway's answer is a welcome.
    bool welcomed(const std::string& device) {
        capnp::MallocMessageBuilder message;
        auto hello = message.initRoot<wire::ClientMessage>().initHello();
        hello.setProtocolVersion(wire::PROTOCOL_VERSION);
        hello.setDeviceId(device);
        hello.setRepId("R1");
        hello.setAgentVersion("test");
        connection_.send(message, std::chrono::seconds(10));
        return answer().isWelcome();
    }

    // One record in a batch: its verdict, or nullopt when no ack came.
    std::optional<wire::Verdict> verdict_of(const std::vector<std::byte>& record) {
        capnp::MallocMessageBuilder message;
        auto list = message.initRoot<wire::ClientMessage>().initBatch().initRecords(1);
        list.set(0, kj::arrayPtr(reinterpret_cast<const kj::byte*>(record.data()), record.size()));
        connection_.send(message, std::chrono::seconds(10));
        auto reply = answer();
        if (!reply.isAck() || reply.getAck().getResults().size() != 1) return std::nullopt;
        return reply.getAck().getResults()[0].getVerdict();
    }

  private:
    wire::ServerMessage::Reader answer() {
        frame_ = connection_.receive(1 << 20, std::chrono::seconds(10));
        reader_.emplace(kj::arrayPtr(frame_.data(), frame_.size()));
        return reader_->getRoot<wire::ServerMessage>();
    }

    wire::Connection connection_;
    wire::FrameWords frame_;
    std::optional<capnp::FlatArrayMessageReader> reader_;
};

// The certificate a fresh connection is given: which CA it verifies against.
bool trusted_by(const std::string& port, const std::string& ca) {
    try {
        return TlsAgent(port, ca).welcomed("dev-009");
    } catch (const std::exception&) {
        return false;
    }
}

// The last contexts_held=N the gateway logged, or -1.
int contexts_held(const std::string& log) {
    static const std::regex held("contexts_held=([0-9]+)");
    auto text = read_file(log);
    int last = -1;
    for (std::sregex_iterator it(text.begin(), text.end(), held), end; it != end; ++it)
        last = std::stoi((*it)[1]);
    return last;
}

// A SIGHUP, and the gateway ready again.
void reload(GatewayProcess& gateway, NotifySocket& notify) {
    gateway.process().signal(SIGHUP);
    REQUIRE(notify.wait_for("RELOADING=1"));
    REQUIRE(notify.wait_for("READY=1"));
}

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

TEST_CASE(
    "service: a renewed TLS certificate serves new connections after SIGHUP, an open one carries "
    "on") {
    TempDir dir;
    auto old_ca = make_test_ca(dir.path(), "old");
    auto new_ca = make_test_ca(dir.path(), "new");
    // Renewed in place, as certbot and its kin do.
    std::string cert = dir / "gateway.pem", key = dir / "gateway.key", log = dir / "gateway.log";
    namespace fs = std::filesystem;
    fs::copy_file(old_ca.cert, cert);
    fs::copy_file(old_ca.key, key);
    NotifySocket notify(dir / "notify");
    std::string db = dir.store("gateway.db");
    GatewayProcess gateway(write_master_fixture(dir.path()), db, "127.0.0.1:0", log,
                           {"--tls-cert", cert, "--tls-key", key});
    REQUIRE(notify.wait_for("READY=1"));
    auto port = gateway.port();

    TlsAgent open(port, old_ca.ca);
    REQUIRE(open.welcomed("dev-001"));
    CHECK(open.verdict_of(check_in_record("dev-001", 1, "T1", t1_lat, t1_lon)) ==
          wire::Verdict::ACCEPTED);

    fs::copy_file(new_ca.cert, cert, fs::copy_options::overwrite_existing);
    fs::copy_file(new_ca.key, key, fs::copy_options::overwrite_existing);
    reload(gateway, notify);

    // The session begun with the old certificate: its next batch is acked.
    CHECK(open.verdict_of(count_record("dev-001", 2, "T1", "P1", 4)) == wire::Verdict::ACCEPTED);
    // New connections get the renewed certificate.
    CHECK(trusted_by(port, new_ca.ca));
    CHECK(!trusted_by(port, old_ca.ca));
    CHECK(store_scalar(db, "SELECT count(*) FROM records WHERE device = 'dev-001'") == 2);
}

TEST_CASE("service: twenty TLS reloads hold no more certificates than open sessions use") {
    TempDir dir;
    auto ca = make_test_ca(dir.path());
    std::string log = dir / "gateway.log";
    NotifySocket notify(dir / "notify");
    GatewayProcess gateway(write_master_fixture(dir.path()), dir.store("gateway.db"), "127.0.0.1:0",
                           log, {"--tls-cert", ca.cert, "--tls-key", ca.key});
    REQUIRE(notify.wait_for("READY=1"));
    auto port = gateway.port();
    {
        TlsAgent open(port, ca.ca);
        REQUIRE(open.welcomed("dev-001"));
        for (int i = 0; i < 20; ++i) reload(gateway, notify);
        // The one in force and the one the open session began with.
        CHECK(contexts_held(log) == 2);
        CHECK(open.verdict_of(check_in_record("dev-001", 1, "T1", t1_lat, t1_lon)) ==
              wire::Verdict::ACCEPTED);
    }
    // Once that session has closed, only the one in force. The gateway
    // hears of the close on its own time: a few reloads at most.
    for (int i = 0; i < 20 && contexts_held(log) != 1; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        reload(gateway, notify);
    }
    CHECK(contexts_held(log) == 1);
}

TEST_CASE(
    "service: a changed master-data folder is taken up on SIGHUP and records are judged by it") {
    TempDir dir;
    std::string master = write_master_fixture(dir.path()), log = dir / "gateway.log";
    NotifySocket notify(dir / "notify");
    GatewayProcess gateway(master, dir.store("gateway.db"), "127.0.0.1:0", log);
    REQUIRE(notify.wait_for("READY=1"));

    // The verdict on dev-001's check-in `seq` at T9, on a connection of its own.
    auto check_in_at_t9 = [&](std::uint64_t seq) {
        WireClient device(gateway.address());
        REQUIRE(device.handshake("dev-001"));
        device.batch({check_in_record("dev-001", seq, "T9", 31.3000, 121.6000)});
        auto ack = device.receive();
        REQUIRE(ack.has_value());
        REQUIRE(ack->isAck());
        return ack->getAck().getResults()[0].getVerdict();
    };
    // T9 is not in the folder yet.
    CHECK(check_in_at_t9(1) == wire::Verdict::REJECTED);

    std::ofstream(std::filesystem::path(master) / "terminals.csv", std::ios::app)
        << "T9,新开药房,pharmacy,CN-SH-PD,31.3000,121.6000,100,B\n";
    reload(gateway, notify);
    // The watcher puts the new version in force within a second or so.
    for (int i = 0;
         i < 100 && read_file(log).find("master data version 2 taken up") == std::string::npos; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(read_file(log).find("master data version 2 imported from") != std::string::npos);

    CHECK(check_in_at_t9(2) == wire::Verdict::ACCEPTED);
}

TEST_CASE(
    "service: the config file's log level changes live on SIGHUP, a bad one is refused where it "
    "is") {
    TempDir dir;
    std::string master = write_master_fixture(dir.path()), db = dir.store("gateway.db");
    std::string config = dir / "gateway.toml", log = dir / "gateway.log";
    std::ofstream(config) << "log-level = \"info\"\n";
    NotifySocket notify(dir / "notify");
    GatewayProcess gateway(master, db, "127.0.0.1:0", log, {"--config", config});
    REQUIRE(notify.wait_for("READY=1"));
    auto debug_lines = [&] {
        auto text = read_file(log);
        std::size_t n = 0;
        for (auto at = text.find(" debug "); at != std::string::npos;
             at = text.find(" debug ", at + 1))
            ++n;
        return n;
    };
    auto connect = [&](const std::string& device) {
        WireClient client(gateway.address());
        REQUIRE(client.handshake(device));
    };
    connect("dev-001");
    CHECK(debug_lines() == 0);

    std::ofstream(config) << "log-level = \"debug\"\n";
    reload(gateway, notify);
    CHECK(read_file(log).find("setting reloaded key=log-level value=\"debug\"") !=
          std::string::npos);
    connect("dev-002");
    auto at_debug = debug_lines();
    CHECK(at_debug > 0);

    // A level that is none: refused with the file's line and key, and
    // debug stays in force.
    std::ofstream(config) << "# the level\nlog-level = \"loud\"\n";
    reload(gateway, notify);
    auto text = read_file(log);
    CHECK(text.find("gateway.toml line 2, key log-level") != std::string::npos);
    CHECK(text.find("reload refused") != std::string::npos);
    connect("dev-003");
    CHECK(debug_lines() > at_debug);
}
