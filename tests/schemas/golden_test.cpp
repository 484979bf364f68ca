// The records a version 1 agent stored (tests/golden/v1/), read by today's
// codec: what an old handheld still queued must mean what it meant.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "schemas/record_codec.h"

using namespace fieldflow;
namespace fs = std::filesystem;

namespace {

std::vector<std::byte> golden_record(const char* name) {
    auto path = fs::path(FIELDFLOW_SOURCE_DIR) / "tests" / "golden" / "v1" / name;
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "cannot open " << path.string());
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto* begin = reinterpret_cast<const std::byte*>(bytes.data());
    return {begin, begin + bytes.size()};
}

core::Record v1(std::uint64_t seq, std::int64_t captured_at_ms, core::Payload payload) {
    // Version 1 knew no clock skew and no corrections.
    return {"dev-001", seq, "R1", captured_at_ms, std::move(payload), 0, std::nullopt};
}

}  // namespace

TEST_CASE("golden v1: an old agent's records decode through the codec to what they said") {
    struct Case {
        const char* file;
        core::Record expected;
    };
    const Case cases[] = {
        {"1-check_in.bin",
         v1(1, 1'795'364'180'070,
            core::CheckIn{"T1", 31.2304, 121.506, 6, core::FixJudgement::manual, 0})},
        {"2-stock_count.bin",
         v1(2, 1'795'364'180'103, core::StockCount{"T1", "P1", "20260311", 12, false})},
        {"3-scan.bin",
         v1(3, 1'795'364'180'153, core::Scan{"T1", "unknown", "6901234567892", "scanner", ""})},
        {"4-check_out.bin", v1(4, 1'795'364'180'181, core::CheckOut{"T1", 1, false})},
    };
    for (const auto& c : cases) {
        CAPTURE(c.file);
        auto decoded = wire::decode_record(golden_record(c.file));
        if (decoded.problem) FAIL("refused: " << decoded.problem->detail);
        REQUIRE(decoded.record.has_value());
        CHECK(decoded.record->device == c.expected.device);
        CHECK(decoded.record->seq == c.expected.seq);
        CHECK(decoded.record->captured_at_ms == c.expected.captured_at_ms);
        CHECK(core::kind_name(decoded.record->payload) == core::kind_name(c.expected.payload));
        CHECK(*decoded.record == c.expected);
        // Written again today, it still reads as the same record.
        CHECK(wire::decode_record(wire::encode_record(*decoded.record)).record == c.expected);
    }
}
