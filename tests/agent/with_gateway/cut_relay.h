#pragma once
// A relay on loopback in front of a gateway that cuts its first connection
// once a given number of bytes has gone up to the gateway: a handheld that
// loses its network in the middle of a photo. Later connections are closed
// at once while the relay is shut, relayed whole once it is open. It counts
// the bytes each connection sent up.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "agent/with_gateway/loopback_relay.h"

namespace fieldflow::test {

class CutRelay {
  public:
    CutRelay(std::uint16_t gateway_port, std::uint64_t cut_after);

    std::string address() const { return relay_.address(); }
    void open() { open_ = true; }
    // Bytes each connection relayed to the gateway, in the order they came.
    std::vector<std::uint64_t> upstream_bytes();

  private:
    void relay(int agent, int gateway, std::size_t index);

    std::uint64_t cut_after_;
    std::atomic<bool> open_ = false;
    std::mutex mutex_;
    std::vector<std::uint64_t> upstream_;
    LoopbackRelay relay_;  // last: its thread stops before the rest goes
};

}  // namespace fieldflow::test
