// The hello and the welcome as protocol 1 sent them before a handheld could
// start anew, and a downlink from before it named the rep's role
// (tests/golden/protocol-v1/), read by today's schema: an old agent's hello
// is not a fresh outbox, an old gateway's welcome names no highest seq, its
// downlink no role, and everything else means what it meant.

#include <doctest/doctest.h>

#include <capnp/serialize.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "schemas/protocol.capnp.h"

using namespace fieldflow;
namespace fs = std::filesystem;

namespace {

kj::Array<capnp::word> golden_message(const char* name) {
    auto path = fs::path(FIELDFLOW_SOURCE_DIR) / "tests" / "golden" / "protocol-v1" / name;
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "cannot open " << path.string());
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(bytes.size() % sizeof(capnp::word) == 0);
    auto words = kj::heapArray<capnp::word>(bytes.size() / sizeof(capnp::word));
    std::memcpy(words.begin(), bytes.data(), bytes.size());
    return words;
}

}  // namespace

TEST_CASE("golden protocol v1: an old agent's hello reads as it was, and not as a fresh outbox") {
    auto words = golden_message("hello.bin");
    capnp::FlatArrayMessageReader reader(words);
    auto message = reader.getRoot<wire::ClientMessage>();
    REQUIRE(message.isHello());
    auto hello = message.getHello();
    CHECK(hello.getProtocolVersion() == 1);
    CHECK(std::string(hello.getDeviceId()) == "dev-001");
    CHECK(std::string(hello.getRepId()) == "R1");
    CHECK(std::string(hello.getAgentVersion()) == "0.1.0");
    CHECK_FALSE(hello.getFreshOutbox());
}

TEST_CASE("golden protocol v1: an old gateway's welcome reads as it was, with no highest seq") {
    auto words = golden_message("welcome.bin");
    capnp::FlatArrayMessageReader reader(words);
    auto message = reader.getRoot<wire::ServerMessage>();
    REQUIRE(message.isWelcome());
    auto welcome = message.getWelcome();
    CHECK(std::string(welcome.getGatewayId()) == "gw-old");
    CHECK(welcome.getMaxBatchRecords() == 2000);
    CHECK(welcome.getMaxBatchesInFlight() == 4);
    CHECK(welcome.getAcceptsDeflate());
    CHECK(welcome.getHighestSeq() == 0);
}

TEST_CASE("golden protocol v1: an old gateway's downlink reads as it was, naming no rep's role") {
    auto words = golden_message("downlink.bin");
    capnp::FlatArrayMessageReader reader(words);
    auto downlink = reader.getRoot<wire::Downlink>();
    CHECK(downlink.getPart() == 1);
    CHECK(downlink.getParts() == 1);
    REQUIRE(downlink.hasMaster());
    auto master = downlink.getMaster();
    CHECK(master.getToVersion() == 1);
    CHECK(master.getReplace());
    REQUIRE(master.getTerminals().size() == 1);
    CHECK(std::string(master.getTerminals()[0].getName()) == "老百姓大药房(世纪大道店)");
    CHECK(master.getProducts()[0].getGtins()[0] == "06901234567892");
    CHECK(std::string(master.getDistributors()[0].getId()) == "D1");
    CHECK_FALSE(master.hasRepRole());
    CHECK(std::string(master.getRepRole()).empty());
    CHECK_FALSE(downlink.hasPlan());
}
