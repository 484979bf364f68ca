#pragma once
// A bare protocol client for tests: sends whatever bytes or messages a test
// wants and reads the gateway's frames, with deadlines.

#include <utility>
#include <boost/asio.hpp>

#include <capnp/message.h>
#include <capnp/serialize.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "schemas/frame.h"
#include "schemas/protocol.capnp.h"

namespace fieldflow::test {

class WireClient {
  public:
    explicit WireClient(const std::string& address);  // "HOST:PORT"

    void send_bytes(const void* data, std::size_t size);
    void send(capnp::MessageBuilder& message);
    void hello(const std::string& device, const std::string& rep = "R1",
               std::uint32_t version = wire::PROTOCOL_VERSION, const std::string& credential = {},
               std::uint64_t outbox_depth = 0);
    void batch(const std::vector<std::vector<std::byte>>& records);
    // The same records as a deflated batch, as an agent sends them to a
    // gateway that offers it; or any bytes as the deflated batch.
    void deflated_batch(const std::vector<std::vector<std::byte>>& records);
    void deflated_bytes(const std::vector<unsigned char>& bytes);
    // Hello, and true once the gateway welcomed us.
    bool handshake(const std::string& device, const std::string& rep = "R1",
                   const std::string& credential = {});

    // The next frame as a ServerMessage, or nullopt when the connection closed
    // (or nothing came within the timeout). The message stays valid until the next call.
    std::optional<wire::ServerMessage::Reader> receive(
        std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // True once the gateway has closed the connection.
    bool closed(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  private:
    bool read_exactly(void* into, std::size_t size, std::chrono::milliseconds timeout);

    boost::asio::io_context io_;
    boost::asio::ip::tcp::socket socket_;
    wire::FrameWords frame_;
    std::optional<capnp::FlatArrayMessageReader> reader_;
};

// An envelope's bytes as an agent would store them, through the one codec.
std::vector<std::byte> check_in_record(const std::string& device, std::uint64_t seq,
                                       const std::string& terminal, double lat, double lon,
                                       const std::string& rep = "R1");
std::vector<std::byte> count_record(const std::string& device, std::uint64_t seq,
                                    const std::string& terminal, const std::string& product,
                                    std::int32_t qty, const std::string& rep = "R1");
std::vector<std::byte> unset_record(const std::string& device, std::uint64_t seq);

// The hello an agent of protocol version 1 sent, byte for byte
// (tests/golden/protocol-v1/hello.bin); empty when the file is missing.
std::string protocol_v1_hello();

}  // namespace fieldflow::test
