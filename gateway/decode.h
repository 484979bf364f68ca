#pragma once
// Turns one record's bytes, exactly as the device stored them, into the
// domain's Record. Cap'n Proto reads lazily, so every field the domain needs
// is read here, inside the bounds, before anything trusts the record.

#include <cstddef>
#include <optional>
#include <span>

#include "core/reason.h"
#include "core/record.h"
#include "schemas/frame.h"

namespace fieldflow::gateway {

struct Decoded {
    std::optional<core::Record> record;   // absent when the bytes are no readable envelope
    std::optional<core::Reason> problem;  // why the bytes could not be read
};

Decoded decode_record(std::span<const std::byte> raw, const wire::ReadLimits& limits);

}  // namespace fieldflow::gateway
