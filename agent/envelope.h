#pragma once
// Builds the bytes of one captured record. They are written to the outbox
// once and sent byte for byte on every attempt, so a re-sent record is
// recognisably the same record at the gateway.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "schemas/record.capnp.h"

namespace fieldflow::agent {

struct Identity {
    std::string device;
    std::string rep;
};

std::vector<std::byte> build_envelope(
    const Identity& identity, std::uint64_t seq, std::int64_t captured_at_ms,
    std::optional<std::int64_t> clock_skew_ms, std::uint64_t corrects,
    const std::function<void(wire::Envelope::Payload::Builder)>& fill);

}  // namespace fieldflow::agent
