#include "schemas/payload_json.h"

#include <capnp/compat/json.h>
#include <capnp/dynamic.h>

#include "schemas/envelope_reader.h"

namespace fieldflow::wire {

std::optional<EnvelopeJson> envelope_json(std::span<const std::byte> raw) {
    std::optional<EnvelopeJson> out;
    // Any Cap'n Proto error while the payload is walked lazily is caught by
    // read_envelope and leaves `out` empty, as for bytes that do not read.
    read_envelope(raw, ReadLimits{}, [&](Envelope::Reader envelope, const kj::byte*) {
        auto payload = capnp::toDynamic(envelope).get("payload").as<capnp::DynamicStruct>();
        KJ_IF_MAYBE (field, payload.which()) {
            auto value = payload.get(*field);
            if (value.getType() != capnp::DynamicValue::STRUCT) return;
            EnvelopeJson json;
            if (envelope.getClockSkewKnown()) json.clock_skew_ms = envelope.getClockSkewMs();
            json.corrects = envelope.getCorrects();
            capnp::JsonCodec codec;
            json.payload = codec.encode(value, field->getType()).cStr();
            out = std::move(json);
        }
    });
    return out;
}

}  // namespace fieldflow::wire
