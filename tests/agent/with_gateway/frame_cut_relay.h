#pragma once
// A relay on loopback in front of a gateway that, on its first connection,
// passes the gateway's first `frames` frames whole and then drops the
// connection: a handheld that lost its network in the middle of what the
// gateway was sending. Later connections are relayed whole. One connection
// at a time, on a thread of its own.

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace fieldflow::test {

class FrameCutRelay {
  public:
    FrameCutRelay(std::uint16_t gateway_port, unsigned frames);
    ~FrameCutRelay();
    FrameCutRelay(const FrameCutRelay&) = delete;
    FrameCutRelay& operator=(const FrameCutRelay&) = delete;

    std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
    // Connections dropped so far: 1 once the cut has happened.
    unsigned cut() const { return cut_; }

  private:
    void serve();
    void relay(int agent, bool cut);

    std::uint16_t gateway_port_;
    unsigned frames_;
    int listener_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<unsigned> cut_ = 0;
    std::thread thread_;
};

}  // namespace fieldflow::test
