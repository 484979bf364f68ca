#include "schemas/record_codec.h"

#include <doctest/doctest.h>

#include <capnp/message.h>
#include <capnp/schema.h>

#include <cstring>
#include <limits>

#include "schemas/record.capnp.h"

using namespace fieldflow;

namespace {

core::Record record_of(core::Payload payload) {
    core::Record record;
    record.device = "dev-042";
    record.seq = 7;
    record.rep = "R9";
    record.captured_at_ms = 1'790'123'456'789;
    record.payload = std::move(payload);
    record.corrects = 3;
    record.clock_skew_ms = -1'250;
    return record;
}

core::Record round_trip(const core::Record& record) {
    auto bytes = wire::encode_record(record);
    auto decoded = wire::decode_record(bytes);
    if (decoded.problem) FAIL("decode refused: " << decoded.problem->detail);
    REQUIRE(decoded.record.has_value());
    return *decoded.record;
}

// Every field differs from its default, so a field the codec forgets to
// write or to read shows up as a difference.
std::vector<core::Payload> every_kind() {
    return {
        core::CheckIn{"T-01", 31.2304, 121.4737, 7.5, core::FixJudgement::low_accuracy, 4'200},
        core::StockCount{"T-01", "P-7", "L2026A", 48, true},
        core::CheckOut{"T-01", 5, true},
        core::Scan{"T-01", "datamatrix",
                   "]d2010690123456789217271231\x1d"
                   "10L1",
                   "camera", "frame-0001.jpg"},
        core::TerminalSales{"T-01", "P-7", 36, "2026-11-01"},
        core::Purchase{"T-01", "P-7", "L2026A", 120, "D-3"},
        core::Promotion{"T-01", "P-7", "discount", 1'990, "2026-12-01", "2026-12-31"},
        core::Display{"T-01", "P-7", true, 4, "eye", "shelf.jpg", "ab12cd"},
        core::Competitor{"T-01", "Rival", "Rival 10mg", 2'450, "two for one"},
        core::DistributorStock{"D-3", "P-7", "L2026A", 900, "2026-12-01", "STK-88"},
        core::FlowReport{"F-1", "2026-11-30", "D-3", "T-01", "P-7", "L2026A", -12},
    };
}

std::vector<std::byte> bytes_of(capnp::MessageBuilder& message) {
    auto words = wire::encode(message);
    auto bytes = wire::as_bytes(words);
    return {bytes.begin(), bytes.end()};
}

}  // namespace

TEST_CASE("record codec: every payload kind comes back as it was encoded") {
    auto kinds = every_kind();
    // One per kind but the unsupported one, which has its own case.
    REQUIRE(kinds.size() + 1 == std::variant_size_v<core::Payload>);
    for (const auto& payload : kinds) {
        CAPTURE(core::kind_name(payload));
        auto record = record_of(payload);
        CHECK(round_trip(record) == record);
    }
}

TEST_CASE("record codec: each fix judgement and scan source survives the wire") {
    for (auto fix : {core::FixJudgement::manual, core::FixJudgement::ok, core::FixJudgement::stale,
                     core::FixJudgement::low_accuracy, core::FixJudgement::none}) {
        auto decoded = round_trip(record_of(core::CheckIn{"T-01", 1, 2, 3, fix, 4}));
        CHECK(std::get<core::CheckIn>(decoded.payload).fix == fix);
    }
    for (std::string source : {"camera", "scanner", "unknown"}) {
        auto decoded = round_trip(record_of(core::Scan{"T-01", "qr", "x", source, ""}));
        CHECK(std::get<core::Scan>(decoded.payload).source == source);
    }
    auto unnamed = round_trip(record_of(core::Scan{"T-01", "qr", "x", "", ""}));
    CHECK(std::get<core::Scan>(unnamed.payload).source == "unknown");
}

TEST_CASE("record codec: an unsupported payload is an envelope with none, read back as member 0") {
    auto record = record_of(core::UnsupportedPayload{});
    auto bytes = wire::encode_record(record);
    // Read raw on purpose: this checks what the codec writes on the wire,
    // which its own reading would not tell apart from its reading's default.
    auto words = wire::aligned_copy(bytes);
    capnp::FlatArrayMessageReader reader(words);
    CHECK(reader.getRoot<wire::Envelope>().getPayload().isUnset());
    CHECK(round_trip(record) == record);
}

TEST_CASE("record codec: the clock skew travels when known and stays absent when not") {
    auto known = record_of(core::CheckOut{"T-01", 1, false});
    known.clock_skew_ms = 0;  // measured and exactly right is not "unknown"
    CHECK(round_trip(known).clock_skew_ms == std::optional<std::int64_t>(0));
    known.clock_skew_ms = std::numeric_limits<std::int64_t>::min();
    CHECK(round_trip(known).clock_skew_ms == known.clock_skew_ms);
    auto unknown = known;
    unknown.clock_skew_ms.reset();
    CHECK_FALSE(round_trip(unknown).clock_skew_ms.has_value());
}

TEST_CASE("record codec: a correction keeps the seq it corrects, and 0 means none") {
    auto record = record_of(core::StockCount{"T-01", "P-7", "", 5, false});
    record.corrects = std::numeric_limits<std::uint64_t>::max();
    CHECK(round_trip(record).corrects == record.corrects);
    record.corrects = 0;
    CHECK(round_trip(record).corrects == 0);
}

TEST_CASE("record codec: a value beyond its wire type is refused, naming the field") {
    auto too_many = record_of(core::StockCount{"T-01", "P-7", "", 3'000'000'000, false});
    CHECK_THROWS_WITH_AS(wire::encode_record(too_many),
                         doctest::Contains("StockCount.qty is 3000000000"), wire::Unencodable);
    auto too_few = record_of(core::DistributorStock{"D-3", "P-7", "", -3'000'000'000, "", ""});
    CHECK_THROWS_WITH_AS(wire::encode_record(too_few), doctest::Contains("DistributorStock.qty"),
                         wire::Unencodable);
    auto facings = record_of(core::Display{"T-01", "P-7", false, 1ll << 40, "", "", ""});
    CHECK_THROWS_WITH_AS(wire::encode_record(facings), doctest::Contains("Display.facings"),
                         wire::Unencodable);
    auto source = record_of(core::Scan{"T-01", "qr", "x", "telepathy", ""});
    CHECK_THROWS_WITH_AS(wire::encode_record(source), doctest::Contains("Scan.source"),
                         wire::Unencodable);
    auto accuracy = record_of(core::CheckIn{"T-01", 0, 0, 1e39, core::FixJudgement::ok, 0});
    CHECK_THROWS_WITH_AS(wire::encode_record(accuracy), doctest::Contains("CheckIn.accuracyM"),
                         wire::Unencodable);
    // The edges themselves fit.
    auto edge =
        record_of(core::TerminalSales{"T-01", "P-7", std::numeric_limits<std::int32_t>::min(), ""});
    CHECK(round_trip(edge) == edge);
}

TEST_CASE("record codec: bytes that are no envelope decode to malformed_record with a detail") {
    auto good = wire::encode_record(record_of(core::CheckOut{"T-01", 1, false}));

    SUBCASE("empty") {
        auto decoded = wire::decode_record({});
        REQUIRE(decoded.problem.has_value());
        CHECK(decoded.problem->detail.find("0 bytes") != std::string::npos);
    }
    SUBCASE("not whole words") {
        auto decoded = wire::decode_record(std::span(good).first(good.size() - 3));
        REQUIRE(decoded.problem.has_value());
        CHECK(decoded.problem->code == core::ReasonCode::malformed_record);
        CHECK(decoded.problem->detail.find("not a whole number of words") != std::string::npos);
        CHECK_FALSE(decoded.record.has_value());
    }
    SUBCASE("a segment table announcing more than there is") {
        auto decoded = wire::decode_record(std::span(good).first(good.size() - 8));
        REQUIRE(decoded.problem.has_value());
        CHECK(decoded.problem->code == core::ReasonCode::malformed_record);
        CHECK(decoded.problem->detail.find("segment table") != std::string::npos);
    }
    SUBCASE("a segment table announcing less than there is") {
        auto longer = good;
        longer.resize(good.size() + 8);
        auto decoded = wire::decode_record(longer);
        REQUIRE(decoded.problem.has_value());
        CHECK(decoded.problem->detail.find("segment table") != std::string::npos);
    }
    SUBCASE("a root pointer out of its segment") {
        auto broken = good;
        // The root pointer (the word after the 8-byte segment table) points
        // far beyond the one segment.
        std::uint32_t offset = 0x7ffffff0u << 2;
        std::memcpy(broken.data() + 8, &offset, sizeof offset);
        auto decoded = wire::decode_record(broken);
        REQUIRE(decoded.problem.has_value());
        CHECK(decoded.problem->code == core::ReasonCode::malformed_record);
        CHECK_FALSE(decoded.problem->detail.empty());
    }
    SUBCASE("an empty device") {
        auto decoded = wire::decode_record(
            wire::encode_record(core::Record{"", 1, "R1", 0, core::CheckOut{}, 0, {}}));
        REQUIRE(decoded.problem.has_value());
        CHECK(decoded.problem->code == core::ReasonCode::malformed_record);
        CHECK(decoded.problem->detail == "deviceId is empty");
    }
    SUBCASE("seq 0") {
        auto decoded = wire::decode_record(
            wire::encode_record(core::Record{"dev-1", 0, "R1", 0, core::CheckOut{}, 0, {}}));
        REQUIRE(decoded.problem.has_value());
        CHECK(decoded.problem->code == core::ReasonCode::malformed_record);
        CHECK(decoded.problem->detail.find("seq is 0") != std::string::npos);
    }
}

TEST_CASE("record codec: a message beyond the read limits is refused, not read") {
    core::Record big =
        record_of(core::Competitor{"T-01", "Rival", "", 1, std::string(64 << 10, 'x')});
    auto bytes = wire::encode_record(big);
    wire::ReadLimits tight;
    tight.max_frame_bytes = 1024;
    auto decoded = wire::decode_record(bytes, tight);
    REQUIRE(decoded.problem.has_value());
    CHECK(decoded.problem->code == core::ReasonCode::malformed_record);
    CHECK(wire::decode_record(bytes).record == big);
}

TEST_CASE("record codec: a payload member from a newer agent decodes as unsupported") {
    // Built by hand: the codec cannot write a member this build lacks, so a
    // known member is written and its union tag bumped past the last one.
    capnp::MallocMessageBuilder message;
    auto envelope = message.initRoot<wire::Envelope>();
    envelope.setDeviceId("dev-1");
    envelope.setSeq(1);
    envelope.initPayload().initCheckOut().setTerminal("T-01");
    auto bytes = bytes_of(message);
    // The union's tag sits where the schema says, in 16-bit units from the
    // start of the root struct's data (after the segment table and root pointer).
    auto offset = capnp::Schema::from<wire::Envelope::Payload>()
                      .getProto()
                      .getStruct()
                      .getDiscriminantOffset();
    auto* at = bytes.data() + 16 + 2 * offset;
    std::uint16_t tag = 0;
    std::memcpy(&tag, at, 2);
    REQUIRE(tag == static_cast<std::uint16_t>(wire::Envelope::Payload::CHECK_OUT));
    std::uint16_t future = 99;
    std::memcpy(at, &future, 2);
    auto decoded = wire::decode_record(bytes);
    REQUIRE(decoded.record.has_value());
    CHECK(std::get<core::UnsupportedPayload>(decoded.record->payload).member == 99);
}

TEST_CASE("record codec: a check-in's storefront photo travels with it, and none adds no bytes") {
    core::CheckIn with{"T-01", 31.2, 121.5, 5, core::FixJudgement::ok, 0};
    with.photo_file = "门头.jpg";
    with.photo_sha256 = std::string(64, 'c');
    auto record = record_of(with);
    CHECK(round_trip(record) == record);
    core::CheckIn without{"T-01", 31.2, 121.5, 5, core::FixJudgement::ok, 0};
    CHECK(wire::encode_record(record_of(without)).size() < wire::encode_record(record).size());
    CHECK(round_trip(record_of(without)) == record_of(without));
    // Read raw: the size above would hide empty texts written for nothing.
    auto words = wire::aligned_copy(wire::encode_record(record_of(without)));
    capnp::FlatArrayMessageReader reader(words);
    auto raw = reader.getRoot<wire::Envelope>().getPayload().getCheckIn();
    CHECK_FALSE(raw.hasReason());
    CHECK_FALSE(raw.hasPhotoFile());
    CHECK_FALSE(raw.hasPhotoSha256());
}
