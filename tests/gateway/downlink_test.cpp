// The gateway's side of the downlink (gateway/downlink.h): what a hello
// that names a master-data version gets before its welcome, what an old
// agent's hello gets, and how a large delta is split.

#include <doctest/doctest.h>

#include <capnp/serialize.h>

#include <chrono>
#include <set>
#include <string>

#include "core/master_slice.h"
#include "gateway/downlink.h"
#include "schemas/frame.h"
#include "schemas/protocol.capnp.h"
#include "support/in_process_gateway.h"
#include "support/wire_client.h"

using namespace fieldflow;
using test::InProcessGateway;
using test::WireClient;

namespace {

void hello_holding(WireClient& client, const std::string& rep, std::uint64_t version) {
    capnp::MallocMessageBuilder message;
    auto hello = message.initRoot<wire::ClientMessage>().initHello();
    hello.setProtocolVersion(wire::PROTOCOL_VERSION);
    hello.setDeviceId("dev-001");
    hello.setRepId(rep);
    hello.setAgentVersion("test");
    hello.setMasterVersion(version);
    client.send(message);
}

// What one part says, read back as the agent reads it.
struct Part {
    unsigned part = 0, parts = 0;
    bool master = false, replace = false;
    std::uint64_t from = 0, to = 0;
    std::set<std::string> terminals, products, distributors, removed_terminals;
};

Part read_part(capnp::Data::Reader deflated) {
    auto inflated = wire::inflate_bytes(deflated, 64u << 20);
    REQUIRE(inflated.error.empty());
    capnp::ReaderOptions options;
    options.traversalLimitInWords = 1u << 26;
    capnp::FlatArrayMessageReader reader(inflated.words, options);
    auto downlink = reader.getRoot<wire::Downlink>();
    Part p{downlink.getPart(), downlink.getParts(), downlink.hasMaster()};
    if (!p.master) return p;
    auto delta = downlink.getMaster();
    p.replace = delta.getReplace();
    p.from = delta.getFromVersion();
    p.to = delta.getToVersion();
    for (auto t : delta.getTerminals()) p.terminals.insert(t.getId());
    for (auto t : delta.getProducts()) p.products.insert(t.getId());
    for (auto t : delta.getDistributors()) p.distributors.insert(t.getId());
    for (auto t : delta.getRemovedTerminals()) p.removed_terminals.insert(t);
    return p;
}

// The parts the gateway sends before its welcome.
std::vector<Part> parts_before_welcome(WireClient& client) {
    std::vector<Part> parts;
    for (;;) {
        auto reply = client.receive();
        REQUIRE(reply.has_value());
        if (reply->isWelcome()) return parts;
        REQUIRE(reply->isDownlink());
        parts.push_back(read_part(reply->getDownlink()));
    }
}

core::MasterData many_terminals(int n) {
    core::MasterData data;
    data.reps.emplace("R1", core::Rep{"R1", "王芳", core::RepRole::retail, "CN-SH", "dev-001"});
    for (int i = 0; i < n; ++i) {
        core::Terminal t;
        t.id = "T" + std::to_string(100000 + i);
        t.name = "老百姓大药房(第" + std::to_string(i) + "分店)";
        t.territory = "CN-SH-PD";
        t.lat = 31.1 + i * 1.3e-4;
        t.lon = 121.4 + i * 0.7e-4;
        t.radius_m = 100;
        t.grade = "ABC"[i % 3];
        data.terminals.emplace(t.id, t);
    }
    return data;
}

}  // namespace

TEST_CASE("downlink: an old agent's hello gets the welcome alone, and its batch its ack") {
    InProcessGateway gateway;
    std::string bytes = test::protocol_v1_hello();
    REQUIRE_FALSE(bytes.empty());
    WireClient old_agent(gateway.address());
    old_agent.send_bytes(bytes.data(), bytes.size());
    auto reply = old_agent.receive();
    REQUIRE(reply.has_value());
    CHECK(reply->isWelcome());

    // A hello built today without the field reads the same.
    WireClient client(gateway.address());
    REQUIRE(client.handshake("dev-001"));
    client.batch({test::check_in_record("dev-001", 1, "T1", 31.2304, 121.5060)});
    auto ack = client.receive();
    REQUIRE(ack.has_value());
    CHECK(ack->isAck());
}

TEST_CASE("downlink: a hello naming the version held gets what changed before the welcome") {
    InProcessGateway gateway;
    {
        WireClient client(gateway.address());
        hello_holding(client, "R1", 0);
        auto parts = parts_before_welcome(client);
        REQUIRE(parts.size() == 1);
        CHECK(parts[0].part == 1);
        CHECK(parts[0].parts == 1);
        REQUIRE(parts[0].master);
        CHECK(parts[0].replace);
        CHECK(parts[0].to == 1);
        CHECK(parts[0].terminals == std::set<std::string>{"T1"});
        CHECK(parts[0].products == std::set<std::string>{"P1", "P2"});
        CHECK(parts[0].distributors == std::set<std::string>{"D1", "D2"});
    }
    {
        // Up to date: one part that brings nothing.
        WireClient client(gateway.address());
        hello_holding(client, "R2", 1);
        auto parts = parts_before_welcome(client);
        REQUIRE(parts.size() == 1);
        CHECK_FALSE(parts[0].master);
    }
    {
        // A version the store never had (a store started anew): replaced whole.
        WireClient client(gateway.address());
        hello_holding(client, "R2", 7);
        auto parts = parts_before_welcome(client);
        REQUIRE(parts.size() == 1);
        REQUIRE(parts[0].master);
        CHECK(parts[0].replace);
        CHECK(parts[0].terminals == std::set<std::string>{"T2"});
    }
}

TEST_CASE("downlink: a delta larger than a frame goes in parts that each fit one") {
    core::MasterData none;
    auto data = many_terminals(2000);
    auto slice = core::master_slice(data, "R1");
    REQUIRE(slice.terminals.size() == 2000);
    std::size_t limit = 32u << 10;
    auto frames = gateway::downlink_frames(none, slice, 0, 5, true, limit);
    REQUIRE(frames.size() > 1);
    std::set<std::string> terminals;
    unsigned n = 0;
    for (auto& frame : frames) {
        CHECK(frame.size() * sizeof(capnp::word) <= limit);
        capnp::FlatArrayMessageReader reader(frame);
        auto part = read_part(reader.getRoot<wire::ServerMessage>().getDownlink());
        CHECK(part.part == ++n);
        CHECK(part.parts == frames.size());
        CHECK(part.to == 5);
        terminals.insert(part.terminals.begin(), part.terminals.end());
    }
    CHECK(terminals.size() == 2000);

    // What changed between two versions only: one terminal moved, one gone.
    auto after = slice;
    after.terminals.at("T100007").lat += 0.001;
    after.terminals.erase("T100008");
    auto delta = gateway::downlink_frames(slice, after, 5, 6, false, limit);
    REQUIRE(delta.size() == 1);
    capnp::FlatArrayMessageReader reader(delta[0]);
    auto part = read_part(reader.getRoot<wire::ServerMessage>().getDownlink());
    CHECK_FALSE(part.replace);
    CHECK(part.terminals == std::set<std::string>{"T100007"});
    CHECK(part.removed_terminals == std::set<std::string>{"T100008"});
}
