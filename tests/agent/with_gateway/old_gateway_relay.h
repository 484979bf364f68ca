#pragma once
// A relay on loopback in front of a gateway that makes it look like one from
// before the welcome announced its frame limit: the welcome goes on with
// maxFrameBytes 0, everything else as it was. An agent then learns the
// limit only from a frame refused as frame_too_large.

#include <cstdint>
#include <string>

#include "agent/with_gateway/loopback_relay.h"

namespace fieldflow::test {

class OldGatewayRelay {
  public:
    explicit OldGatewayRelay(std::uint16_t gateway_port);

    std::string address() const { return relay_.address(); }

  private:
    LoopbackRelay relay_;
};

}  // namespace fieldflow::test
