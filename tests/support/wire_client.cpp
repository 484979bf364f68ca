#include "support/wire_client.h"

#include <capnp/serialize.h>

#include <stdexcept>

#include "schemas/frame.h"
#include "schemas/record_codec.h"
#include "support/process.h"

namespace fieldflow::test {

namespace asio = boost::asio;

WireClient::WireClient(const std::string& address) : socket_(io_) {
    auto colon = address.rfind(':');
    asio::ip::tcp::endpoint endpoint(
        asio::ip::make_address(address.substr(0, colon)),
        static_cast<unsigned short>(std::stoi(address.substr(colon + 1))));
    socket_.connect(endpoint);
}

void WireClient::send_bytes(const void* data, std::size_t size) {
    asio::write(socket_, asio::buffer(data, size));
}

void WireClient::send(capnp::MessageBuilder& message) {
    auto words = wire::encode(message);
    auto bytes = words.asBytes();
    send_bytes(bytes.begin(), bytes.size());
}

void WireClient::hello(const std::string& device, const std::string& rep, std::uint32_t version,
                       const std::string& credential, std::uint64_t outbox_depth) {
    capnp::MallocMessageBuilder message;
    auto hello = message.initRoot<wire::ClientMessage>().initHello();
    hello.setProtocolVersion(version);
    hello.setDeviceId(device);
    hello.setRepId(rep);
    hello.setAgentVersion("test");
    hello.setCredential(credential);
    hello.setOutboxDepth(outbox_depth);
    send(message);
}

void WireClient::deflated_batch(const std::vector<std::vector<std::byte>>& records) {
    capnp::MallocMessageBuilder batch;
    auto list = batch.initRoot<wire::Batch>().initRecords(static_cast<unsigned>(records.size()));
    for (unsigned i = 0; i < records.size(); ++i)
        list.set(i, kj::arrayPtr(reinterpret_cast<const kj::byte*>(records[i].data()),
                                 records[i].size()));
    auto flat = capnp::messageToFlatArray(batch);
    auto deflated = wire::deflate_bytes(flat.asBytes());
    deflated_bytes({deflated.begin(), deflated.end()});
}

void WireClient::deflated_bytes(const std::vector<unsigned char>& bytes) {
    capnp::MallocMessageBuilder message;
    message.initRoot<wire::ClientMessage>().setDeflatedBatch(
        kj::arrayPtr(bytes.data(), bytes.size()));
    send(message);
}

bool WireClient::handshake(const std::string& device, const std::string& rep,
                           const std::string& credential) {
    hello(device, rep, wire::PROTOCOL_VERSION, credential);
    auto reply = receive();
    return reply && reply->isWelcome();
}

void WireClient::batch(const std::vector<std::vector<std::byte>>& records) {
    capnp::MallocMessageBuilder message;
    auto list = message.initRoot<wire::ClientMessage>().initBatch().initRecords(
        static_cast<unsigned>(records.size()));
    for (unsigned i = 0; i < records.size(); ++i)
        list.set(i, kj::arrayPtr(reinterpret_cast<const kj::byte*>(records[i].data()),
                                 records[i].size()));
    send(message);
}

bool WireClient::read_exactly(void* into, std::size_t size, std::chrono::milliseconds timeout) {
    bool done = false;
    boost::system::error_code result;
    asio::async_read(socket_, asio::buffer(into, size), [&](auto ec, std::size_t) {
        result = ec;
        done = true;
    });
    io_.restart();
    io_.run_for(timeout);
    if (!done) {
        socket_.cancel();
        io_.restart();
        io_.run();
        return false;
    }
    return !result;
}

std::optional<wire::ServerMessage::Reader> WireClient::receive(std::chrono::milliseconds timeout) {
    reader_.reset();
    frame_.clear();
    frame_.resize(1);
    std::size_t have = 0;
    for (;;) {
        if (!read_exactly(frame_.data() + have, (frame_.size() - have) * sizeof(capnp::word),
                          timeout))
            return std::nullopt;
        have = frame_.size();
        auto announced = capnp::expectedSizeInWordsFromPrefix(kj::arrayPtr(frame_.data(), have));
        if (announced <= have) break;
        frame_.resize(announced);
    }
    reader_.emplace(kj::arrayPtr(frame_.data(), frame_.size()));
    return reader_->getRoot<wire::ServerMessage>();
}

bool WireClient::closed(std::chrono::milliseconds timeout) {
    char byte;
    return !read_exactly(&byte, 1, timeout);
}

namespace {
core::Record record(const std::string& device, std::uint64_t seq, const std::string& rep,
                    core::Payload payload) {
    // Ten minutes apart by seq, as a rep's records are: one capture time for
    // all of them would make every hop between terminals impossible travel.
    return {device,
            seq,
            rep,
            1'790'000'000'000 + static_cast<std::int64_t>(seq) * 600'000,
            std::move(payload),
            0,
            std::nullopt};
}
}  // namespace

std::vector<std::byte> check_in_record(const std::string& device, std::uint64_t seq,
                                       const std::string& terminal, double lat, double lon,
                                       const std::string& rep) {
    return wire::encode_record(record(
        device, seq, rep, core::CheckIn{terminal, lat, lon, 10, core::FixJudgement::manual, 0}));
}

std::vector<std::byte> count_record(const std::string& device, std::uint64_t seq,
                                    const std::string& terminal, const std::string& product,
                                    std::int32_t qty, const std::string& rep) {
    return wire::encode_record(
        record(device, seq, rep, core::StockCount{terminal, product, "", qty, false}));
}

std::vector<std::byte> unset_record(const std::string& device, std::uint64_t seq) {
    return wire::encode_record(record(device, seq, "R1", core::UnsupportedPayload{}));
}

std::string protocol_v1_hello() {
    return read_file(std::string(FIELDFLOW_SOURCE_DIR) + "/tests/golden/protocol-v1/hello.bin");
}

}  // namespace fieldflow::test
