#include "core/scan_rules.h"

#include <doctest/doctest.h>

#include "core/visit_rules.h"

using namespace fieldflow::core;

namespace {

MasterData one_product_one_rep() {
    MasterData m;
    m.products["P1"] = Product{"P1", "阿莫西林胶囊", "", "盒", "6901234567892", "8123456"};
    m.reps["R1"] = Rep{"R1", "王芳", RepRole::retail, "CN-SH", "dev-001"};
    return m;
}

// 2026-11-22 12:00 UTC.
constexpr std::int64_t noon = 1'795'348'800'000;

Record scan(std::string content, std::string symbology = "datamatrix",
            std::string terminal = "T1") {
    return Record{
        "dev-001", 9, "R1", noon,
        Scan{std::move(terminal), std::move(symbology), std::move(content), "camera", ""}};
}

const std::optional<OpenVisit> at_t1 = OpenVisit{"T1", 1};

}  // namespace

TEST_CASE("scan rules: a known, unexpired pack in the open visit is accepted") {
    auto v = validate(scan("]d20106901234567892172612311"
                           "0L1\x1d"
                           "21S1"),
                      one_product_one_rep(), at_t1);
    CHECK(v.outcome() == Outcome::accepted);
}

TEST_CASE("scan rules: an unknown product is flagged, not rejected") {
    auto v = validate(scan("4006381333931", "ean13"), one_product_one_rep(), at_t1);
    CHECK(v.outcome() == Outcome::flagged);
    REQUIRE(v.has(ReasonCode::unknown_product));
    CHECK(v.reasons[0].detail.find("04006381333931") != std::string::npos);
}

TEST_CASE("scan rules: a pack past its expiry on the day of the scan is flagged expired") {
    auto v = validate(scan("(01)06901234567892(17)261121(10)L1"), one_product_one_rep(), at_t1);
    CHECK(v.has(ReasonCode::expired));
    CHECK(v.reasons[0].detail == "expired 2026-11-21, scanned 2026-11-22");
    CHECK_FALSE(validate(scan("(01)06901234567892(17)261122(10)L1"), one_product_one_rep(), at_t1)
                    .has(ReasonCode::expired));
}

TEST_CASE("scan rules: a serialised pack seen at another terminal is flagged duplicate_serial") {
    StoredFacts elsewhere;
    elsewhere.pack_seen_at = "T7";
    auto v =
        validate(scan("81234560001234567890", "code128"), one_product_one_rep(), at_t1, elsewhere);
    CHECK(v.has(ReasonCode::duplicate_serial));
    StoredFacts here;
    here.pack_seen_at = "T1";
    CHECK_FALSE(
        validate(scan("81234560001234567890", "code128"), one_product_one_rep(), at_t1, here)
            .has(ReasonCode::duplicate_serial));
    // An unserialised EAN-13 is never a duplicate.
    CHECK_FALSE(validate(scan("6901234567892", "ean13"), one_product_one_rep(), at_t1, elsewhere)
                    .has(ReasonCode::duplicate_serial));
}

TEST_CASE("scan rules: content that is not understood is flagged unparsed_code with the reason") {
    auto v = validate(scan("]C1010690123456789117261231", "code128"), one_product_one_rep(), at_t1);
    CHECK(v.outcome() == Outcome::flagged);
    REQUIRE(v.has(ReasonCode::unparsed_code));
    CHECK(v.reasons[0].detail.find("check digit") != std::string::npos);
}

TEST_CASE("scan rules: a scan outside an open visit at its terminal is flagged") {
    CHECK(validate(scan("6901234567892", "ean13"), one_product_one_rep(), std::nullopt)
              .has(ReasonCode::no_open_visit));
}

TEST_CASE("scan rules: the capture date comes from the device clock in UTC") {
    CHECK(date_of_ms(noon) == Gs1Date{2026, 11, 22});
    CHECK(date_of_ms(0) == Gs1Date{1970, 1, 1});
}

TEST_CASE("scan rules: what a scan says by itself is found without the store, the rest with it") {
    // Expired, with the serial of a pack seen elsewhere, outside any visit.
    auto record = scan("(01)06901234567892(17)261121(10)L1(21)S1");
    auto own = examine(record, one_product_one_rep());
    CHECK(own.verdict.has(ReasonCode::expired));
    CHECK_FALSE(own.verdict.has(ReasonCode::no_open_visit));
    CHECK_FALSE(own.verdict.has(ReasonCode::duplicate_serial));
    REQUIRE(own.content);
    CHECK(own.content->pack_identity() == "gs1:06901234567892/S1");

    StoredFacts elsewhere;
    elsewhere.pack_seen_at = "T7";
    auto v = validate(record, one_product_one_rep(), std::move(own), std::nullopt, elsewhere);
    REQUIRE(v.reasons.size() == 3);
    CHECK(v.reasons[0].code == ReasonCode::expired);
    CHECK(v.reasons[1].code == ReasonCode::duplicate_serial);
    CHECK(v.reasons[1].detail == "pack gs1:06901234567892/S1 was scanned at T7 before");
    CHECK(v.reasons[2].code == ReasonCode::no_open_visit);
}
