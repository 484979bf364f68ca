#include "core/visit_rules.h"

#include <doctest/doctest.h>

#include <cmath>

using namespace fieldflow::core;

namespace {

MasterData sample_master() {
    MasterData m;
    m.products["P1"] =
        Product{"P1", "阿莫西林胶囊", "0.25g*24粒", "盒", "6901234567892", "8612345"};
    m.terminals["T1"] = Terminal{"T1",
                                 "老百姓大药房(世纪大道店)",
                                 TerminalKind::pharmacy,
                                 "CN-SH-PD",
                                 31.2304,
                                 121.5060,
                                 100,
                                 'A'};
    m.terminals["T2"] = Terminal{
        "T2", "一心堂(西湖店)", TerminalKind::pharmacy, "CN-ZJ-HZ", 30.2590, 120.1300, 150, 'B'};
    m.reps["R1"] = Rep{"R1", "王芳", RepRole::retail, "CN-SH", "dev-001"};
    return m;
}

Record record(Payload payload, std::string rep = "R1", std::uint64_t seq = 7) {
    return Record{"dev-001", seq, std::move(rep), 0, std::move(payload)};
}

}  // namespace

TEST_CASE("rules: a check-in at a known terminal inside its fence is accepted") {
    auto m = sample_master();
    auto v = validate(record(CheckIn{"T1", 31.2305, 121.5061, 10}), m, std::nullopt);
    CHECK(v.outcome() == Outcome::accepted);
    CHECK(v.reasons.empty());
}

TEST_CASE("rules: an unknown terminal is rejected and nothing else is checked") {
    auto m = sample_master();
    auto v = validate(record(CheckIn{"T9", 0, 0, 10}), m, std::nullopt);
    CHECK(v.outcome() == Outcome::rejected);
    REQUIRE(v.reasons.size() == 1);
    CHECK(v.reasons[0].code == ReasonCode::unknown_terminal);
}

TEST_CASE("rules: a fix beyond radius plus accuracy is flagged with its distance") {
    auto m = sample_master();
    // About 600 m north of T1.
    auto v = validate(record(CheckIn{"T1", 31.2358, 121.5060, 20}), m, std::nullopt);
    CHECK(v.outcome() == Outcome::flagged);
    REQUIRE(v.has(ReasonCode::outside_geofence));
    CHECK(v.reasons[0].detail.find("60") == 0);  // "60x m from T1 ..."
    CHECK(v.reasons[0].detail.find("from T1") != std::string::npos);
}

TEST_CASE("rules: the fix's stated accuracy widens the fence") {
    auto m = sample_master();
    const Terminal& t1 = m.terminals["T1"];
    CheckIn fix{"T1", 31.2304 + 0.0012, 121.5060, 0};  // ~133 m away
    CHECK(within_geofence(t1, fix).has_value());
    fix.accuracy_m = 40;
    CHECK_FALSE(within_geofence(t1, fix).has_value());
    fix.accuracy_m = -40;  // nonsense accuracy earns nothing
    CHECK(within_geofence(t1, fix).has_value());
}

TEST_CASE("rules: a fix with no valid position is flagged, not accepted") {
    auto m = sample_master();
    const Terminal& t1 = m.terminals["T1"];
    CHECK(within_geofence(t1, CheckIn{"T1", NAN, 121.5, 5}).has_value());
    CHECK(within_geofence(t1, CheckIn{"T1", 91, 121.5, 5}).has_value());
}

TEST_CASE("rules: a terminal outside the rep's territory is flagged") {
    auto m = sample_master();
    auto v = validate(record(CheckIn{"T2", 30.2590, 120.1300, 10}), m, std::nullopt);
    CHECK(v.outcome() == Outcome::flagged);
    REQUIRE(v.reasons.size() == 1);
    CHECK(v.reasons[0].code == ReasonCode::outside_territory);
    CHECK(v.reasons[0].detail.find("CN-ZJ-HZ") != std::string::npos);
}

TEST_CASE("rules: an unknown rep is rejected") {
    auto m = sample_master();
    auto v = validate(record(CheckIn{"T1", 31.2304, 121.5060, 10}, "R9"), m, std::nullopt);
    CHECK(v.outcome() == Outcome::rejected);
    CHECK(v.has(ReasonCode::unknown_rep));
}

TEST_CASE("rules: a stock count of an unknown product is rejected") {
    auto m = sample_master();
    OpenVisit open{"T1", 3};
    auto v = validate(record(StockCount{"T1", "P404", "", 5}), m, open);
    CHECK(v.outcome() == Outcome::rejected);
    CHECK(v.has(ReasonCode::unknown_product));
}

TEST_CASE("rules: a negative count is rejected, zero is a valid count") {
    auto m = sample_master();
    OpenVisit open{"T1", 3};
    CHECK(validate(record(StockCount{"T1", "P1", "L1", -2}), m, open)
              .has(ReasonCode::negative_quantity));
    CHECK(validate(record(StockCount{"T1", "P1", "L1", 0}), m, open).outcome() ==
          Outcome::accepted);
}

TEST_CASE("rules: a count outside an open visit at its terminal is flagged") {
    auto m = sample_master();
    CHECK(validate(record(StockCount{"T1", "P1", "", 1}), m, std::nullopt).outcome() ==
          Outcome::flagged);
    CHECK(validate(record(StockCount{"T1", "P1", "", 1}), m, OpenVisit{"T2", 1})
              .has(ReasonCode::no_open_visit));
}

TEST_CASE("rules: a check-out must close an open visit at the same terminal") {
    auto m = sample_master();
    CHECK(validate(record(CheckOut{"T1", 3, false}), m, OpenVisit{"T1", 3}).outcome() ==
          Outcome::accepted);
    auto none = validate(record(CheckOut{"T1", 3, false}), m, std::nullopt);
    CHECK(none.has(ReasonCode::unmatched_checkout));
    CHECK(none.outcome() == Outcome::flagged);
    auto elsewhere = validate(record(CheckOut{"T1", 3, false}), m, OpenVisit{"T2", 2});
    CHECK(elsewhere.has(ReasonCode::unmatched_checkout));
    CHECK(elsewhere.reasons[0].detail.find("T2") != std::string::npos);
}

TEST_CASE("rules: booking a check-in opens a visit and a matching check-out closes it") {
    auto m = sample_master();
    auto in = record(CheckIn{"T1", 31.2304, 121.5060, 5}, "R1", 10);
    auto open = next_open_visit(in, validate(in, m, std::nullopt), std::nullopt);
    REQUIRE(open.has_value());
    CHECK(open->terminal == "T1");
    CHECK(open->check_in_seq == 10);

    auto count = record(StockCount{"T1", "P1", "", 4}, "R1", 11);
    CHECK(next_open_visit(count, validate(count, m, open), open) == open);

    auto out = record(CheckOut{"T1", 10, false}, "R1", 12);
    CHECK_FALSE(next_open_visit(out, validate(out, m, open), open).has_value());
}

TEST_CASE("rules: a rejected check-in opens no visit and a flagged one does") {
    auto m = sample_master();
    auto unknown = record(CheckIn{"T9", 0, 0, 5});
    CHECK_FALSE(next_open_visit(unknown, validate(unknown, m, std::nullopt), std::nullopt));
    auto far = record(CheckIn{"T1", 31.30, 121.5060, 5});
    auto v = validate(far, m, std::nullopt);
    CHECK(v.outcome() == Outcome::flagged);
    CHECK(next_open_visit(far, v, std::nullopt).has_value());
}

TEST_CASE("rules: a check-out at another terminal leaves the open visit open") {
    auto m = sample_master();
    OpenVisit open{"T1", 3};
    auto out = record(CheckOut{"T2", 3, false});
    auto after = next_open_visit(out, validate(out, m, open), open);
    REQUIRE(after.has_value());
    CHECK(after->terminal == "T1");
}

TEST_CASE("rules: a payload this gateway does not know is rejected as unsupported_kind") {
    auto m = sample_master();
    auto unknown = record(UnsupportedPayload{9});
    auto v = validate(unknown, m, OpenVisit{"T1", 3});
    CHECK(v.outcome() == Outcome::rejected);
    CHECK(v.has(ReasonCode::unsupported_kind));
    CHECK(kind_name(unknown.payload) == "unsupported");
    CHECK(next_open_visit(unknown, v, OpenVisit{"T1", 3}) == OpenVisit{"T1", 3});
}

TEST_CASE("rules: a correction must name an earlier record the gateway has") {
    Record r{"dev-001", 9, "R1", 0, StockCount{"T1", "P1", "", 3}};
    CHECK_FALSE(correction_known(r, {}).has_value());  // corrects nothing
    r.corrects = 4;
    CHECK(correction_known(r, {}).has_value());
    StoredFacts stored;
    stored.corrected_record_stored = true;
    CHECK_FALSE(correction_known(r, stored).has_value());
    r.corrects = 9;
    CHECK(correction_known(r, stored)->detail.find("not earlier") != std::string::npos);
    r.corrects = 4;
    auto m = sample_master();
    CHECK(validate(r, m, OpenVisit{"T1", 1}).has(ReasonCode::unknown_correction));
    CHECK(validate(r, m, OpenVisit{"T1", 1}).outcome() == Outcome::flagged);
}

TEST_CASE("rules: a correction is judged by the visit of the record it corrects") {
    auto m = sample_master();
    Record original{"dev-001", 4, "R1", 0, StockCount{"T1", "P1", "", -3}};
    auto judged = validate(original, m, OpenVisit{"T1", 3});
    CHECK(judged.outcome() == Outcome::rejected);
    CHECK(visit_of_corrected(original, judged.reasons) == "T1");
    // Hours later, away from the store, with no visit open or one elsewhere.
    Record fixed{"dev-001", 9, "R1", 0, StockCount{"T1", "P1", "", 3}};
    fixed.corrects = 4;
    StoredFacts stored;
    stored.corrected_record_stored = true;
    stored.corrected_visit = visit_of_corrected(original, judged.reasons);
    CHECK(validate(fixed, m, std::nullopt, stored).outcome() == Outcome::accepted);
    CHECK(validate(fixed, m, OpenVisit{"T2", 8}, stored).outcome() == Outcome::accepted);
    // A correction moved to another store is judged by the visit open now.
    Record moved = fixed;
    std::get<StockCount>(moved.payload).terminal = "T2";
    CHECK(validate(moved, m, std::nullopt, stored).has(ReasonCode::no_open_visit));
    // An original made outside any visit lends none to its correction.
    auto outside = validate(original, m, std::nullopt);
    CHECK(outside.has(ReasonCode::no_open_visit));
    CHECK_FALSE(visit_of_corrected(original, outside.reasons).has_value());
    stored.corrected_visit = visit_of_corrected(original, outside.reasons);
    CHECK(validate(fixed, m, std::nullopt, stored).has(ReasonCode::no_open_visit));
    // Nor does a record of a kind that belongs to no store.
    Record stock{"dev-001", 5, "R1", 0, DistributorStock{"D1", "P1", "", 3, "2026-12-01", ""}};
    CHECK_FALSE(visit_of_corrected(stock, {}).has_value());
}

TEST_CASE("rules: what needs the store is judged after what the record says by itself") {
    auto m = sample_master();
    // An unknown terminal, which the record and master data tell alone, and
    // a correction of a record the store does not have, which they cannot.
    auto r = record(CheckIn{"T9", 0, 0, 10});
    r.corrects = 4;
    auto own = examine(r, m);
    REQUIRE(own.verdict.reasons.size() == 1);
    CHECK(own.verdict.reasons[0].code == ReasonCode::unknown_terminal);
    CHECK_FALSE(own.content);  // no scan, nothing classified

    auto v = validate(r, m, std::move(own), std::nullopt, {});
    REQUIRE(v.reasons.size() == 2);
    CHECK(v.reasons[0].code == ReasonCode::unknown_terminal);
    CHECK(v.reasons[1].code == ReasonCode::unknown_correction);
    CHECK(v.outcome() == Outcome::rejected);
    StoredFacts stored;
    stored.corrected_record_stored = true;
    CHECK(validate(r, m, examine(r, m), std::nullopt, stored).reasons.size() == 1);
}

TEST_CASE("visit rules: a photo sent before with another record is flagged photo_reused") {
    auto m = sample_master();
    auto with_photo = CheckIn{"T1", 31.2304, 121.5060, 10};
    with_photo.photo_sha256 = std::string(64, 'a');
    StoredFacts facts;
    CHECK(validate(record(with_photo), m, std::nullopt, facts).outcome() == Outcome::accepted);
    facts.photo_sent_with =
        "record 3 of device dev-002 at terminal T2, captured 2026-12-03 09:12 UTC";
    auto v = validate(record(with_photo), m, std::nullopt, facts);
    CHECK(v.outcome() == Outcome::flagged);
    REQUIRE(v.reasons.size() == 1);
    CHECK(v.reasons[0].code == ReasonCode::photo_reused);
    CHECK(v.reasons[0].detail ==
          "the same photo was sent before with record 3 of device dev-002 at terminal T2, "
          "captured 2026-12-03 09:12 UTC");
    CHECK(name(ReasonCode::photo_reused) == "photo_reused");
    CHECK(chinese_name(ReasonCode::photo_reused) == "照片重复使用");

    with_photo.photo_sha256 = "not a hash";
    CHECK(validate(record(with_photo), m, std::nullopt).has(ReasonCode::invalid_field));
}
