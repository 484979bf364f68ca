// One record's bytes, as a device stored them and a batch carries them,
// decoded and judged by every validator: the visit rules with and without
// an open visit, and with the facts the store would supply.

#include <cstddef>
#include <cstdint>

#include "core/visit_rules.h"
#include "fuzz/fuzz_master.h"
#include "schemas/record_codec.h"

using namespace fieldflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto raw = std::span(reinterpret_cast<const std::byte*>(data), size);
    auto decoded = wire::decode_record(raw, wire::ReadLimits{});
    if (!decoded.record) return 0;
    const auto& master = fuzz::master_data();
    core::StoredFacts facts;
    facts.corrected_record_stored = true;
    facts.pack_seen_at = "T2";
    auto verdict = core::validate(*decoded.record, master, std::nullopt);
    auto open = core::next_open_visit(*decoded.record, verdict, std::nullopt);
    core::validate(*decoded.record, master, core::OpenVisit{"T1", 1}, facts);
    if (open) core::validate(*decoded.record, master, open, facts);
    return 0;
}
