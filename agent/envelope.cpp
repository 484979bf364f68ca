#include "agent/envelope.h"

#include <capnp/message.h>

#include "schemas/frame.h"

namespace fieldflow::agent {

std::vector<std::byte> build_envelope(const Identity& identity, std::uint64_t seq,
                                      std::int64_t captured_at_ms,
                                      const std::function<void(wire::Envelope::Payload::Builder)>& fill) {
    capnp::MallocMessageBuilder message;
    auto envelope = message.initRoot<wire::Envelope>();
    envelope.setDeviceId(identity.device);
    envelope.setSeq(seq);
    envelope.setRepId(identity.rep);
    envelope.setCapturedAtMs(captured_at_ms);
    fill(envelope.initPayload());
    auto words = wire::encode(message);
    auto bytes = wire::as_bytes(words);
    return {bytes.begin(), bytes.end()};
}

}  // namespace fieldflow::agent
