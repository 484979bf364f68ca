// What the real gateway writes to stderr, as main() wires its log: a line
// for the start and the stop at the default level and none per connection;
// with --log-level debug, a connection's lines carry its number and device.

#include <doctest/doctest.h>

#include <csignal>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "support/gateway_process.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/wire_client.h"

using namespace fieldflow::test;

namespace {

// The gateway's log after one device connected, sent a batch and left.
std::vector<std::string> log_of_one_connection(const std::vector<std::string>& extra) {
    TempDir dir;
    std::string log = dir / "gateway.log";
    {
        GatewayProcess gateway(write_master_fixture(dir.path()), dir.store("gateway.db"),
                               "127.0.0.1:0", log, extra);
        {
            WireClient client(gateway.address());
            REQUIRE(client.handshake("dev-001"));
            client.batch({count_record("dev-001", 1, "T1", "P1", 1)});
            auto ack = client.receive();
            REQUIRE(ack.has_value());
            REQUIRE(ack->isAck());
        }
        gateway.process().signal(SIGTERM);
        REQUIRE(gateway.process().wait() == 0);
    }
    std::vector<std::string> lines;
    std::ifstream in(log);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

bool any_has(const std::vector<std::string>& lines, const std::string& text) {
    for (const auto& line : lines)
        if (line.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("gateway log: at the default level no line per connection, each with time and level" *
          doctest::test_suite("no gateway store")) {
    auto lines = log_of_one_connection({});
    REQUIRE_FALSE(lines.empty());
    const std::regex shape(
        R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d (info|warning|error|critical) \w+: .+)");
    for (const auto& line : lines) {
        CAPTURE(line);
        CHECK(std::regex_match(line, shape));
        CHECK(line.find("conn=") == std::string::npos);
    }
    CHECK(any_has(lines, " info gateway: started listen=127.0.0.1:"));
    CHECK(any_has(lines, " info gateway: stopped"));
}

TEST_CASE("gateway log: --log-level debug shows a connection's lines with its number and device" *
          doctest::test_suite("no gateway store")) {
    auto lines = log_of_one_connection({"--log-level", "debug"});
    CHECK(any_has(lines, " debug session: connection opened conn=1 peer=127.0.0.1:"));
    CHECK(any_has(lines, " debug session: hello device=dev-001 conn=1 rep=R1"));
    CHECK(any_has(lines, " debug session: connection closed device=dev-001 conn=1 "));
}
