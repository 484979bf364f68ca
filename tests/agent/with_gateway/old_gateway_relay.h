#pragma once
// A relay on loopback in front of a gateway that makes it look like one from
// before the welcome announced its frame limit: the welcome goes on with
// maxFrameBytes 0, everything else as it was. An agent then learns the
// limit only from a frame refused as frame_too_large. One connection at a
// time, on a thread of its own.

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace fieldflow::test {

class OldGatewayRelay {
  public:
    explicit OldGatewayRelay(std::uint16_t gateway_port);
    ~OldGatewayRelay();
    OldGatewayRelay(const OldGatewayRelay&) = delete;
    OldGatewayRelay& operator=(const OldGatewayRelay&) = delete;

    std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  private:
    void serve();
    void relay(int agent);

    std::uint16_t gateway_port_;
    int listener_ = -1;
    std::uint16_t port_ = 0;
    std::thread thread_;
};

}  // namespace fieldflow::test
