#include "schemas/payload_json.h"

#include <capnp/compat/json.h>
#include <capnp/dynamic.h>
#include <capnp/serialize.h>
#include <kj/exception.h>

#include "schemas/frame.h"
#include "schemas/record.capnp.h"

namespace fieldflow::wire {

std::optional<EnvelopeJson> envelope_json(std::span<const std::byte> raw) {
    try {
        auto words = aligned_copy(raw);
        capnp::FlatArrayMessageReader reader(words, ReadLimits{}.reader_options());
        auto envelope = reader.getRoot<Envelope>();
        EnvelopeJson out;
        if (envelope.getClockSkewKnown()) out.clock_skew_ms = envelope.getClockSkewMs();
        out.corrects = envelope.getCorrects();
        auto payload = capnp::toDynamic(envelope).get("payload").as<capnp::DynamicStruct>();
        KJ_IF_MAYBE (field, payload.which()) {
            auto value = payload.get(*field);
            if (value.getType() != capnp::DynamicValue::STRUCT) return std::nullopt;
            capnp::JsonCodec codec;
            out.payload = codec.encode(value, field->getType()).cStr();
            return out;
        }
        return std::nullopt;
    } catch (const kj::Exception&) {
        return std::nullopt;
    }
}

}  // namespace fieldflow::wire
