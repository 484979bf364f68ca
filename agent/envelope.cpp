#include "agent/envelope.h"

#include <capnp/message.h>

#include "schemas/frame.h"

namespace fieldflow::agent {

std::vector<std::byte> build_envelope(
    const Identity& identity, std::uint64_t seq, std::int64_t captured_at_ms,
    std::optional<std::int64_t> clock_skew_ms, std::uint64_t corrects,
    const std::function<void(wire::Envelope::Payload::Builder)>& fill) {
    capnp::MallocMessageBuilder message;
    auto envelope = message.initRoot<wire::Envelope>();
    envelope.setDeviceId(identity.device);
    envelope.setSeq(seq);
    envelope.setRepId(identity.rep);
    envelope.setCapturedAtMs(captured_at_ms);
    envelope.setCorrects(corrects);
    if (clock_skew_ms) {
        envelope.setClockSkewMs(*clock_skew_ms);
        envelope.setClockSkewKnown(true);
    }
    fill(envelope.initPayload());
    auto words = wire::encode(message);
    auto bytes = wire::as_bytes(words);
    return {bytes.begin(), bytes.end()};
}

}  // namespace fieldflow::agent
