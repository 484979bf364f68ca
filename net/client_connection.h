#pragma once
// A client's framed connection to the gateway, for the agent and the load
// generator alike, where every step has a deadline: the
// io_context runs only for the time left, and an operation still pending
// then is cancelled (the pattern of Asio's blocking_tcp_client example).
// Name lookup is the one step bounded by the system resolver instead
// (resolv.conf timeout and attempts): Asio cannot abandon a getaddrinfo call
// in flight. A numeric HOST never waits on it.

#include <utility>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include <capnp/message.h>

#include "net/transport.h"
#include "schemas/frame.h"

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace fieldflow::wire {

// The link failed or timed out: worth trying again after a pause.
struct Disconnected : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The gateway's certificate did not verify: trying again will not help.
struct Untrusted : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Connection {
  public:
    // Over TLS when `ca` names a CA certificate file (PEM): the gateway's
    // certificate must chain to it and name `host`. In clear otherwise,
    // which is refused for anything but a loopback address.
    Connection(const std::string& host, const std::string& port, std::chrono::milliseconds timeout,
               const std::string& ca = {});

    void send(capnp::MessageBuilder& message, std::chrono::milliseconds timeout);
    // One whole frame, refused when it announces more than `max_bytes`. In
    // clear, an answer that begins like a TLS record throws Untrusted: the
    // gateway serves TLS and needs --ca. So does a close before any answer
    // when a second connection then completes a TLS handshake there (Asio's
    // TLS server closes on a clear hello without a word).
    FrameWords receive(std::size_t max_bytes, std::chrono::milliseconds timeout);

  private:
    // Runs the io_context until `done` or the deadline; cancels on timeout.
    void run_until(bool& done, std::chrono::milliseconds timeout, const char* what);
    void read_exactly(void* into, std::size_t bytes, std::chrono::milliseconds timeout);

    boost::asio::io_context io_;
    std::optional<boost::asio::ssl::context> tls_;
    std::optional<Transport> stream_;
    // A byte came from the gateway: only its first answer can tell a TLS
    // gateway dialled in clear.
    bool heard_ = false;
    boost::asio::ip::tcp::endpoint endpoint_;
};

}  // namespace fieldflow::wire
