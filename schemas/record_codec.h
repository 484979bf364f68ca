#pragma once
// The one place a domain record (core::Record) becomes the bytes of an
// envelope (record.capnp) and back. The agent encodes what a rep captured,
// the load generator and the test client encode what they play, the gateway
// and the operators' tools decode what was stored; none of them touches a
// Cap'n Proto builder or reader of an Envelope themselves, so the two sides
// cannot drift apart.

#include <cstddef>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/reason.h"
#include "core/record.h"
#include "schemas/frame.h"

namespace fieldflow::wire {

// A record field that does not fit its wire field (a quantity beyond Int32),
// named so the caller can say which.
struct Unencodable : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

// The envelope's bytes, exactly as stored in the outbox and carried in a
// batch. An UnsupportedPayload encodes as an envelope with no payload (the
// member number it read is not written: there is nothing of it to carry).
// clockSkewKnown is set exactly when record.clock_skew_ms has a value.
// Throws Unencodable for a value its wire field cannot hold: a quantity or
// facing count beyond Int32, an accuracy beyond Float32, a scan source
// other than camera, scanner or unknown (empty reads as unknown).
std::vector<std::byte> encode_record(const core::Record& record);

// A check-in's fix, lat then lon, as two Float64 in the envelope's bytes.
inline constexpr std::size_t fix_bytes = 16;

struct Decoded {
    std::optional<core::Record> record;   // absent when the bytes are no readable envelope
    std::optional<core::Reason> problem;  // why the bytes could not be read
    // A check-in's: where its fix_bytes of lat and lon begin in the bytes,
    // so that the store can seal them apart from the rest of the record and
    // later overwrite them alone (store/fix_seal.h).
    std::optional<std::size_t> fix_at;
};

// Reads every field the domain needs inside `limits`, before anything trusts
// the record (Cap'n Proto reads lazily). A payload member this build does not
// know decodes as core::UnsupportedPayload.
Decoded decode_record(std::span<const std::byte> raw, const ReadLimits& limits = {});

}  // namespace fieldflow::wire
