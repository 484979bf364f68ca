// The gateway's side of the downlink (gateway/downlink.h): what a hello
// that names a master-data version gets before its welcome, what an old
// agent's hello gets, and how a large delta is split.

#include <doctest/doctest.h>

#include <capnp/serialize.h>

#include <chrono>
#include <optional>
#include <set>
#include <string>

#include "core/clock.h"
#include "core/effectiveness.h"
#include "core/master_slice.h"
#include "gateway/downlink.h"
#include "schemas/frame.h"
#include "schemas/protocol.capnp.h"
#include "store/plan_store.h"
#include "store/sql.h"
#include "support/in_process_gateway.h"
#include "support/wire_client.h"

using namespace fieldflow;
using test::InProcessGateway;
using test::WireClient;

namespace {

void hello_holding(WireClient& client, const std::string& rep, std::uint64_t version,
                   std::optional<std::uint64_t> plan_version = std::nullopt) {
    capnp::MallocMessageBuilder message;
    auto hello = message.initRoot<wire::ClientMessage>().initHello();
    hello.setProtocolVersion(wire::PROTOCOL_VERSION);
    hello.setDeviceId("dev-001");
    hello.setRepId(rep);
    hello.setAgentVersion("test");
    hello.setMasterVersion(version);
    if (plan_version) hello.setPlanVersion(*plan_version);
    client.send(message);
}

// What one part says, read back as the agent reads it.
struct Part {
    unsigned part = 0, parts = 0;
    bool master = false, replace = false;
    std::uint64_t from = 0, to = 0;
    std::set<std::string> terminals, products, distributors, removed_terminals;
    std::string rep_role;
    bool plan = false;
    std::uint64_t plan_from = 0, plan_to = 0;
    std::int32_t first_day = 0, last_day = 0;
    std::vector<std::string> plan_visits;  // "day:order:terminal"
};

Part read_part(capnp::Data::Reader deflated) {
    auto inflated = wire::inflate_bytes(deflated, 64u << 20);
    REQUIRE(inflated.error.empty());
    capnp::ReaderOptions options;
    options.traversalLimitInWords = 1u << 26;
    capnp::FlatArrayMessageReader reader(inflated.words, options);
    auto downlink = reader.getRoot<wire::Downlink>();
    Part p;
    p.part = downlink.getPart();
    p.parts = downlink.getParts();
    p.master = downlink.hasMaster();
    if (downlink.hasPlan()) {
        auto plan = downlink.getPlan();
        p.plan = true;
        p.plan_from = plan.getFromVersion();
        p.plan_to = plan.getToVersion();
        p.first_day = plan.getFirstDay();
        p.last_day = plan.getLastDay();
        for (auto v : plan.getVisits())
            p.plan_visits.push_back(std::to_string(v.getDay()) + ":" +
                                    std::to_string(v.getOrder()) + ":" + v.getTerminal().cStr());
    }
    if (!p.master) return p;
    auto delta = downlink.getMaster();
    p.replace = delta.getReplace();
    p.from = delta.getFromVersion();
    p.to = delta.getToVersion();
    for (auto t : delta.getTerminals()) p.terminals.insert(t.getId());
    for (auto t : delta.getProducts()) p.products.insert(t.getId());
    for (auto t : delta.getDistributors()) p.distributors.insert(t.getId());
    for (auto t : delta.getRemovedTerminals()) p.removed_terminals.insert(t);
    p.rep_role = delta.getRepRole();
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
        // Of the reps, the device's own role alone.
        CHECK(parts[0].rep_role == "retail");
    }
    {
        WireClient client(gateway.address());
        hello_holding(client, "R3", 0);
        auto parts = parts_before_welcome(client);
        REQUIRE(parts.size() == 1);
        REQUIRE(parts[0].master);
        CHECK(parts[0].rep_role == "commercial");
    }
    {
        // A rep the master data does not have: no role, and no terminals.
        WireClient client(gateway.address());
        hello_holding(client, "R9", 0);
        auto parts = parts_before_welcome(client);
        REQUIRE(parts.size() == 1);
        REQUIRE(parts[0].master);
        CHECK(parts[0].rep_role.empty());
        CHECK(parts[0].terminals.empty());
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
        // In every part, whole.
        CHECK(part.rep_role == "retail");
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

TEST_CASE("downlink: a hello naming a plan version gets its rep's week whole in the last part") {
    InProcessGateway gateway;
    auto today = core::china_day(core::unix_now_ms());
    {
        auto db = store::sql::Database::open(gateway.db());
        store::PlanStore plans(*db, store::PlanStore::Tables::existing);
        REQUIRE(plans
                    .import({{"R1", today - 2, "T1", "", 1},
                             {"R1", today, "T1", "", 1},
                             {"R1", today + 7, "T1", "", 1},
                             {"R1", today + 8, "T1", "", 1},
                             {"R2", today, "T2", "", 1}},
                            "test", "test", core::unix_now_ms())
                    .created);
    }
    auto day = [](core::Day d) { return std::to_string(d) + ":1:T1"; };
    {
        WireClient client(gateway.address());
        hello_holding(client, "R1", 0, 0);
        auto parts = parts_before_welcome(client);
        REQUIRE(parts.size() == 1);
        CHECK(parts[0].master);
        REQUIRE(parts[0].plan);
        CHECK(parts[0].plan_from == 0);
        CHECK(parts[0].plan_to == 1);
        CHECK(parts[0].first_day == today - 1);
        CHECK(parts[0].last_day == today + 7);
        CHECK(parts[0].plan_visits == std::vector<std::string>{day(today), day(today + 7)});
    }
    {
        // Up to date: no plan; the master data alone asked for, as before.
        WireClient client(gateway.address());
        hello_holding(client, "R1", 1, 1);
        auto parts = parts_before_welcome(client);
        REQUIRE(parts.size() == 1);
        CHECK_FALSE(parts[0].plan);
    }
    {
        // An agent from before the plan names a master version alone: no plan.
        WireClient client(gateway.address());
        hello_holding(client, "R1", 0);
        auto parts = parts_before_welcome(client);
        REQUIRE(parts.size() == 1);
        CHECK(parts[0].master);
        CHECK_FALSE(parts[0].plan);
    }
    {
        // The golden hello of protocol version 1 asks for neither.
        WireClient old_agent(gateway.address());
        std::string bytes = test::protocol_v1_hello();
        old_agent.send_bytes(bytes.data(), bytes.size());
        auto reply = old_agent.receive();
        REQUIRE(reply.has_value());
        CHECK(reply->isWelcome());
    }
}

TEST_CASE("downlink: the plan goes in the last of several parts") {
    const core::MasterData none;
    auto slice = core::master_slice(many_terminals(2000), "R1");
    gateway::PlanSlice plan{0, 3, 100, 108, {{"R1", 101, "T100001", "", 1}}};
    auto frames = gateway::downlink_frames(none, slice, 0, 5, true, 32u << 10, 2000, &plan);
    REQUIRE(frames.size() > 1);
    for (std::size_t i = 0; i < frames.size(); ++i) {
        capnp::FlatArrayMessageReader reader(frames[i]);
        auto part = read_part(reader.getRoot<wire::ServerMessage>().getDownlink());
        CHECK(part.plan == (i + 1 == frames.size()));
        if (part.plan) CHECK(part.plan_visits == std::vector<std::string>{"101:1:T100001"});
    }
}
