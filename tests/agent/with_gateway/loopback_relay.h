#pragma once
// A relay on loopback in front of a gateway, for the tests that put
// something between a handheld and its gateway: it accepts one connection at
// a time on a thread of its own, connects it to the gateway and hands both
// sockets to its `relay`, which returns when it is done with them; the
// relay then closes them. What the relay does to the stream is its own.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

namespace fieldflow::test {

class LoopbackRelay {
  public:
    // `index` counts the connections accepted: 0 for the first.
    using Relay = std::function<void(int agent, int gateway, std::size_t index)>;
    LoopbackRelay(std::uint16_t gateway_port, Relay relay);
    ~LoopbackRelay();
    LoopbackRelay(const LoopbackRelay&) = delete;
    LoopbackRelay& operator=(const LoopbackRelay&) = delete;

    std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  private:
    void serve();

    std::uint16_t gateway_port_;
    Relay relay_;
    int listener_ = -1;
    std::uint16_t port_ = 0;
    std::thread thread_;
};

// Sends all of `data`; false when `to` closed first.
bool send_all(int to, const char* data, std::size_t size);
// Copies until `from` ends, then ends `to`'s side of the stream.
void copy_stream(int from, int to);

}  // namespace fieldflow::test
