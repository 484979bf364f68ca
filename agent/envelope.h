#pragma once
// Builds the bytes of one captured record. They are written to the outbox
// once and sent byte for byte on every attempt, so a re-sent record is
// recognisably the same record at the gateway.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/record.h"

namespace fieldflow::agent {

struct Identity {
    std::string device;
    std::string rep;
};

// `clock_skew_ms`: device clock minus GPS time, when a receiver has told it.
// Throws wire::Unencodable for a value its wire field cannot carry.
std::vector<std::byte> build_envelope(const core::Record& record,
                                      std::optional<std::int64_t> clock_skew_ms);

}  // namespace fieldflow::agent
