#pragma once
// A relay on loopback in front of a gateway that, on its first connection,
// passes the gateway's first `frames` frames whole and then drops the
// connection: a handheld that lost its network in the middle of what the
// gateway was sending. Later connections are relayed whole.

#include <atomic>
#include <cstdint>
#include <string>

#include "agent/with_gateway/loopback_relay.h"

namespace fieldflow::test {

class FrameCutRelay {
  public:
    FrameCutRelay(std::uint16_t gateway_port, unsigned frames);

    std::string address() const { return relay_.address(); }
    // Connections dropped so far: 1 once the cut has happened.
    unsigned cut() const { return cut_; }

  private:
    void relay(int agent, int gateway, bool cut);

    unsigned frames_;
    std::atomic<unsigned> cut_ = 0;
    LoopbackRelay relay_;  // last: its thread stops before the rest goes
};

}  // namespace fieldflow::test
