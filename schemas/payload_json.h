#pragma once
// A stored envelope's payload as JSON, by Cap'n Proto's codec from the
// schema itself: a kind added to the schema is shown without changes to
// the programs that list records.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace fieldflow::wire {

struct EnvelopeJson {
    std::string payload;  // the payload member's fields, as one JSON object
    std::optional<std::int64_t> clock_skew_ms;
    std::uint64_t corrects = 0;
};

// Nullopt when the bytes are not a readable envelope with a known payload.
std::optional<EnvelopeJson> envelope_json(std::span<const std::byte> raw);

}  // namespace fieldflow::wire
