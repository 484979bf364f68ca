// A gateway's session driven over loopback by a bare protocol client, the
// gateway in the test's own process (support/in_process_gateway.h).

#include <doctest/doctest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "schemas/frame.h"
#include "schemas/protocol.capnp.h"
#include "store/sql.h"
#include "support/in_process_gateway.h"
#include "support/master_fixture.h"
#include "support/scratch_store.h"
#include "support/wire_client.h"

using namespace fieldflow;
using namespace fieldflow::test;

namespace {

using Records = std::vector<std::vector<std::byte>>;

// Stock counts of dev-001 at T1 with seqs first..last.
Records counts(std::uint64_t first, std::uint64_t last) {
    Records records;
    for (std::uint64_t seq = first; seq <= last; ++seq)
        records.push_back(count_record("dev-001", seq, "T1", "P1", 1));
    return records;
}

long long stored(const InProcessGateway& gateway) {
    return store_scalar(gateway.db(), "SELECT count(*) FROM records") +
           store_scalar(gateway.db(), "SELECT count(*) FROM quarantine");
}

// The frames the gateway has read whole, from its metrics.
double frames_read(gateway::Metrics& metrics) {
    std::istringstream text(metrics.exposition());
    std::string line;
    const std::string name = "fieldflow_received_frames_total ";
    while (std::getline(text, line))
        if (line.rfind(name, 0) == 0) return std::stod(line.substr(name.size()));
    return 0;
}

// Waits until the gateway has read `frames` frames, or a second has gone.
bool read_frames(gateway::Metrics& metrics, double frames) {
    for (int i = 0; i < 100 && frames_read(metrics) < frames; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return frames_read(metrics) == frames;
}

// The seqs of the next ack, in its order; empty when no ack came.
std::vector<std::uint64_t> acked_seqs(WireClient& client) {
    std::vector<std::uint64_t> seqs;
    auto reply = client.receive();
    if (!reply || !reply->isAck()) return seqs;
    for (auto r : reply->getAck().getResults()) seqs.push_back(r.getSeq());
    return seqs;
}

std::vector<std::uint64_t> seqs(std::uint64_t first, std::uint64_t last) {
    std::vector<std::uint64_t> out;
    for (std::uint64_t seq = first; seq <= last; ++seq) out.push_back(seq);
    return out;
}

// A writer's transaction on the store from outside the gateway: its
// committer waits for it (SQLite's write lock, PostgreSQL's writers' lock),
// so batches stay with the committer for as long as a test holds it.
class StoreHeld {
  public:
    explicit StoreHeld(const std::string& location)
        : db_(store::sql::Database::open(location)),
          transaction_(std::in_place, *db_, store::sql::TransactionKind::write) {}
    void release() { transaction_.reset(); }

  private:
    std::unique_ptr<store::sql::Database> db_;
    std::optional<store::sql::Transaction> transaction_;
};

}  // namespace

TEST_CASE("gateway session: a hello is welcomed with the gateway's limits") {
    auto options = InProcessGateway::open_options();
    options.gateway_id = "gw-test";
    options.max_batches_in_flight = 3;
    options.max_batch_records = 77;
    InProcessGateway gateway(options);
    WireClient client(gateway.address());
    client.hello("dev-001");
    auto reply = client.receive();
    REQUIRE(reply.has_value());
    REQUIRE(reply->isWelcome());
    auto welcome = reply->getWelcome();
    CHECK(welcome.getProtocolVersion() == wire::PROTOCOL_VERSION);
    CHECK(std::string(welcome.getGatewayId()) == "gw-test");
    CHECK(welcome.getMaxBatchesInFlight() == 3);
    CHECK(welcome.getMaxBatchRecords() == 77);
    CHECK(welcome.getMaxFrameBytes() == options.limits.max_frame_bytes);
    CHECK(welcome.getAcceptsDeflate());
}

TEST_CASE("gateway session: batches sent together are acked in their order, each record once") {
    InProcessGateway gateway;
    WireClient client(gateway.address());
    REQUIRE(client.handshake("dev-001"));
    client.batch({check_in_record("dev-001", 1, "T1", t1_lat, t1_lon)});
    client.batch(counts(2, 5));
    client.batch(counts(6, 6));
    CHECK(acked_seqs(client) == seqs(1, 1));
    CHECK(acked_seqs(client) == seqs(2, 5));
    CHECK(acked_seqs(client) == seqs(6, 6));
    CHECK(stored(gateway) == 6);
}

TEST_CASE("gateway session: a record sent again is answered as a duplicate and stored once") {
    InProcessGateway gateway;
    WireClient client(gateway.address());
    REQUIRE(client.handshake("dev-001"));
    Records batch{check_in_record("dev-001", 1, "T1", t1_lat, t1_lon),
                  count_record("dev-001", 2, "T1", "P1", 3)};
    client.batch(batch);
    auto first = client.receive();
    REQUIRE(first.has_value());
    REQUIRE(first->isAck());
    for (auto r : first->getAck().getResults()) CHECK_FALSE(r.getDuplicate());

    // As after a lost ack: the same records on a new connection.
    WireClient again(gateway.address());
    REQUIRE(again.handshake("dev-001"));
    again.batch(batch);
    auto second = again.receive();
    REQUIRE(second.has_value());
    REQUIRE(second->isAck());
    auto results = second->getAck().getResults();
    REQUIRE(results.size() == 2);
    CHECK(results[0].getSeq() == 1);
    CHECK(results[0].getVerdict() == wire::Verdict::ACCEPTED);
    for (auto r : results) CHECK(r.getDuplicate());
    CHECK(store_scalar(gateway.db(), "SELECT count(*) FROM records") == 2);
}

TEST_CASE("gateway session: a malformed frame is answered with its code and nothing else is lost") {
    InProcessGateway gateway;
    WireClient client(gateway.address());
    REQUIRE(client.handshake("dev-001"));
    client.batch(counts(1, 3));
    REQUIRE(acked_seqs(client) == seqs(1, 3));

    // A segment table announcing one segment of two words, then two words of noise.
    const unsigned char garbage[24] = {0,    0,    0,    0,    2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,
                                       0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5,    6,    7,    8};
    client.send_bytes(garbage, sizeof garbage);
    auto reply = client.receive();
    REQUIRE(reply.has_value());
    REQUIRE(reply->isError());
    CHECK(std::string(reply->getError().getCode()) == "malformed_frame");
    CHECK(client.closed());

    CHECK(stored(gateway) == 3);
    WireClient next(gateway.address());
    REQUIRE(next.handshake("dev-001"));
    next.batch(counts(4, 4));
    CHECK(acked_seqs(next) == seqs(4, 4));
    CHECK(stored(gateway) == 4);
}

TEST_CASE("gateway session: no more batches are read than the welcome allows in flight") {
    auto options = InProcessGateway::open_options();
    options.max_batches_in_flight = 2;
    InProcessGateway gateway(options);
    WireClient client(gateway.address());
    REQUIRE(client.handshake("dev-001"));
    {
        StoreHeld held(gateway.db());
        client.batch(counts(1, 1));
        client.batch(counts(2, 2));
        client.batch(counts(3, 3));
        // The hello and two batches; the third waits in the socket.
        CHECK(read_frames(gateway.metrics(), 3));
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        CHECK(frames_read(gateway.metrics()) == 3);
    }
    CHECK(acked_seqs(client) == seqs(1, 1));
    CHECK(acked_seqs(client) == seqs(2, 2));
    CHECK(acked_seqs(client) == seqs(3, 3));
    CHECK(frames_read(gateway.metrics()) == 4);
    CHECK(stored(gateway) == 3);
}

TEST_CASE(
    "gateway session: a stop acks the batches in flight before it closes, and nothing is lost") {
    InProcessGateway gateway;
    WireClient client(gateway.address());
    REQUIRE(client.handshake("dev-001"));
    StoreHeld held(gateway.db());
    client.batch(counts(1, 10));
    client.batch(counts(11, 20));
    client.batch(counts(21, 30));
    REQUIRE(read_frames(gateway.metrics(), 4));

    std::thread stopping([&] { gateway.stop(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    held.release();  // the committer goes on
    stopping.join();

    CHECK(acked_seqs(client) == seqs(1, 10));
    CHECK(acked_seqs(client) == seqs(11, 20));
    CHECK(acked_seqs(client) == seqs(21, 30));
    CHECK(client.closed());
    CHECK(stored(gateway) == 30);
}

TEST_CASE("gateway session: a hello dribbled in is closed at the handshake deadline, not later") {
    // Today's frame timer is 6 s and the handshake deadline 2 s: a hello
    // whose first word arrives before the deadline must not earn the
    // frame timer on top of it.
    auto options = InProcessGateway::open_options();
    options.handshake_timeout_s = 2;
    options.frame_timeout_s = 6;
    InProcessGateway gateway(options);

    capnp::MallocMessageBuilder message;
    auto hello = message.initRoot<wire::ClientMessage>().initHello();
    hello.setProtocolVersion(wire::PROTOCOL_VERSION);
    hello.setDeviceId("dev-001");
    hello.setRepId("R1");
    auto words = wire::encode(message);
    auto bytes = words.asBytes();

    namespace asio = boost::asio;
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.connect({asio::ip::make_address("127.0.0.1"), gateway.port()});
    const auto start = std::chrono::steady_clock::now();
    std::atomic<bool> ended{false};
    std::chrono::steady_clock::duration ended_after{};
    std::thread reader([&] {
        // Whatever the gateway answers (a timeout error), then its close.
        std::array<char, 256> sink{};
        boost::system::error_code ec;
        while (!ec) socket.read_some(asio::buffer(sink), ec);
        ended_after = std::chrono::steady_clock::now() - start;
        ended = true;
    });
    // A byte every 150 ms: the first word is in after about 1.2 s, the
    // whole hello would take far longer than either timer.
    for (std::size_t i = 0; i < bytes.size() && !ended; ++i) {
        boost::system::error_code ec;
        asio::write(socket, asio::buffer(bytes.begin() + i, 1), ec);
        if (ec) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(150));
    }
    bool closed_by_gateway = ended.load();
    if (!closed_by_gateway) socket.shutdown(asio::ip::tcp::socket::shutdown_both);
    reader.join();
    REQUIRE(closed_by_gateway);
    // Closed at the 2 s deadline; the frame timer would have run to about
    // 7 s. The bound leaves a loaded machine room either way.
    CHECK(ended_after >= std::chrono::milliseconds(1900));
    CHECK(ended_after < std::chrono::milliseconds(5000));
}

TEST_CASE("gateway session: a hello from a fresh outbox learns the device's highest seq") {
    InProcessGateway gateway;
    {
        WireClient first_life(gateway.address());
        REQUIRE(first_life.handshake("dev-001"));
        first_life.batch(counts(1, 5));
        REQUIRE(acked_seqs(first_life) == seqs(1, 5));
    }
    auto welcome_after = [&](bool fresh, const std::string& device) -> std::uint64_t {
        WireClient client(gateway.address());
        capnp::MallocMessageBuilder message;
        auto hello = message.initRoot<wire::ClientMessage>().initHello();
        hello.setProtocolVersion(wire::PROTOCOL_VERSION);
        hello.setDeviceId(device);
        hello.setRepId("R1");
        hello.setFreshOutbox(fresh);
        client.send(message);
        auto reply = client.receive();
        REQUIRE(reply.has_value());
        REQUIRE(reply->isWelcome());
        return reply->getWelcome().getHighestSeq();
    };
    CHECK(welcome_after(true, "dev-001") == 5);
    // An agent from before the flag, or one that has numbered records,
    // is told nothing; nor is a device the gateway has never stored.
    CHECK(welcome_after(false, "dev-001") == 0);
    CHECK(welcome_after(true, "dev-002") == 0);

    // The hello of an agent from before the flag, byte for byte.
    std::string bytes = protocol_v1_hello();
    REQUIRE_FALSE(bytes.empty());
    WireClient old_agent(gateway.address());
    old_agent.send_bytes(bytes.data(), bytes.size());
    auto reply = old_agent.receive();
    REQUIRE(reply.has_value());
    REQUIRE(reply->isWelcome());
    CHECK(reply->getWelcome().getHighestSeq() == 0);
    CHECK(stored(gateway) == 5);
}
