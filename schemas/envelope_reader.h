#pragma once
// The one reading of an envelope's bytes, behind both decode_record and the
// payload's JSON: the same checks of framing and the same read limits, so a
// record the gateway refused as malformed is never shown as if it read.
// Internal to schemas/; everyone else decodes with record_codec.h.

#include <kj/function.h>

#include <cstddef>
#include <optional>
#include <span>

#include "core/reason.h"
#include "schemas/frame.h"
#include "schemas/record.capnp.h"

namespace fieldflow::wire {

// Hands `use` the envelope while its message is alive, and where the bytes
// it reads from begin (the data sections it hands out point into them, at
// the same offsets as in `raw`). Returns why the bytes
// are not a readable envelope (malformed_record with a detail), including any
// Cap'n Proto error `use` meets while it reads lazily.
std::optional<core::Reason> read_envelope(
    std::span<const std::byte> raw, const ReadLimits& limits,
    kj::FunctionParam<void(Envelope::Reader, const kj::byte* base)> use);

}  // namespace fieldflow::wire
