#include "store/retention.h"

#include <doctest/doctest.h>

#include "schemas/record_codec.h"
#include "store/fix_seal.h"
#include "store/gateway_store.h"
#include "store/photo_store.h"
#include "store/review_queue.h"
#include "store/store_file.h"
#include "support/float64_bytes.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

using namespace fieldflow;
using fieldflow::test::float64_bytes;
using fieldflow::test::StoreFile;

namespace {

constexpr std::int64_t day_ms = 86'400'000;
constexpr std::int64_t now_ms = 1'796'359'287'651;
constexpr double old_lat = 31.2304127, old_lon = 121.5060311;

core::Record check_in_at(std::uint64_t seq, std::int64_t captured_at_ms, double lat, double lon) {
    return core::Record{"dev-001", seq, "R1", captured_at_ms, core::CheckIn{"T1", lat, lon, 5}};
}

bool holds_bytes(std::span<const std::byte> haystack, const std::string& needle) {
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                       [](std::byte b, char c) { return b == static_cast<std::byte>(c); }) !=
           haystack.end();
}

// Every byte of the records and of the audit log, as one search would read them.
bool store_holds(store::sql::Database& db, const std::string& needle) {
    for (const char* query : {"SELECT raw FROM records", "SELECT content FROM audit_log",
                              "SELECT fix_seal FROM records WHERE fix_seal IS NOT NULL",
                              "SELECT detail FROM audit_log"}) {
        store::sql::Statement rows(db, query);
        while (rows.step())
            if (holds_bytes(rows.blob(0), needle)) return true;
    }
    return false;
}

struct Booked {
    std::int64_t id = 0;
    std::vector<std::byte> raw;
};

// Books a check-in as the gateway does: its fix found in its bytes and sealed.
Booked book(store::GatewayStore& s, const core::Record& record, bool flagged = true) {
    auto raw = wire::encode_record(record);
    auto decoded = wire::decode_record(raw);
    REQUIRE(decoded.fix_at.has_value());
    core::Verdict verdict;
    if (flagged) verdict.add(core::ReasonCode::outside_geofence, "600 m from T1");
    store::sql::Transaction t(s.db());
    s.book(record, verdict, raw, record.captured_at_ms + 1000, decoded.fix_at);
    t.commit();
    store::sql::Statement id(s.db(), "SELECT id FROM records WHERE device = ?1 AND seq = ?2");
    id.bind(1, record.device).bind(2, static_cast<std::int64_t>(record.seq));
    REQUIRE(id.step());
    return {id.int64(0), raw};
}

std::size_t drop_fixes_before(store::sql::Database& db, std::int64_t before_ms) {
    store::Retention retention(db);
    return retention.drop_fixes(
        before_ms, [](std::span<const std::byte>) { return std::optional<std::int64_t>(612); }, 100,
        "fixes of check-ins captured before the test's day (retention 30 days)");
}

void exec(store::sql::Database& db, const std::string& sql, std::int64_t id) {
    store::sql::Transaction t(db);
    store::sql::Statement change(db, sql);
    change.bind(1, id).exec();
    t.commit();
}

}  // namespace

TEST_CASE("retention: old fixes are dropped for their distance and the audit chain still holds") {
    StoreFile file;
    store::GatewayStore s(file.location);
    auto old = book(s, check_in_at(1, now_ms - 40 * day_ms, old_lat, old_lon));
    auto recent = book(s, check_in_at(2, now_ms - 2 * day_ms, 31.2311, 121.5071));
    auto other = core::Record{"dev-001", 3, "R1", now_ms - 40 * day_ms,
                              core::StockCount{"T1", "P1", "L1", 12, false}};
    {
        store::sql::Transaction t(s.db());
        s.book(other, {}, wire::encode_record(other), now_ms);
        t.commit();
    }
    REQUIRE(store_holds(s.db(), float64_bytes(old_lat)));
    REQUIRE(s.audit().verify().problem == std::nullopt);

    CHECK(drop_fixes_before(s.db(), now_ms - 30 * day_ms) == 1);
    CHECK(drop_fixes_before(s.db(), now_ms - 30 * day_ms) == 0);  // once only

    // Not a byte of the fix anywhere: not in the record, the seal or the log.
    CHECK_FALSE(store_holds(s.db(), float64_bytes(old_lat)));
    CHECK_FALSE(store_holds(s.db(), float64_bytes(old_lon)));
    CHECK(store_holds(s.db(), float64_bytes(31.2311)));  // the recent one stays

    auto report = s.audit().verify();
    std::string problem = report.problem ? report.problem->what : std::string();
    CHECK(problem == "");

    // The record reads as a check-in without a position, its distance kept.
    store::ReviewQueue reviews(s.db(), s.audit());
    auto dropped = reviews.find(old.id);
    REQUIRE(dropped.has_value());
    CHECK(dropped->fix_dropped);
    CHECK(dropped->kept_distance_m == 612);
    auto decoded = wire::decode_record(dropped->raw);
    REQUIRE(decoded.record.has_value());
    const auto& in = std::get<core::CheckIn>(decoded.record->payload);
    CHECK(std::isnan(in.lat));
    CHECK(std::isnan(in.lon));
    CHECK(in.terminal == "T1");
    CHECK_FALSE(reviews.find(recent.id)->fix_dropped);

    // The device sending it again, whole, is answered as for the same record.
    auto again = s.find("dev-001", 1, old.raw);
    REQUIRE(again.has_value());
    CHECK(again->same_bytes);
    auto changed = old.raw;
    changed.back() ^= std::byte{1};
    CHECK_FALSE(s.find("dev-001", 1, changed)->same_bytes);
}

TEST_CASE("retention: a fix changed, or dropped outside retention, breaks the chain") {
    StoreFile file;
    store::GatewayStore s(file.location);
    auto first = book(s, check_in_at(1, now_ms - 40 * day_ms, old_lat, old_lon));
    auto second = book(s, check_in_at(2, now_ms - 40 * day_ms, 31.25, 121.52));
    REQUIRE(drop_fixes_before(s.db(), now_ms - 30 * day_ms) == 2);
    REQUIRE(s.audit().verify().problem == std::nullopt);
    auto third = book(s, check_in_at(3, now_ms - 1 * day_ms, 31.26, 121.53));
    auto fix_at = *wire::decode_record(third.raw).fix_at;

    SUBCASE("a kept fix moved") {
        auto moved = wire::encode_record(check_in_at(3, now_ms - 1 * day_ms, 31.2601, 121.53));
        REQUIRE(moved.size() == third.raw.size());
        store::sql::Transaction t(s.db());
        store::sql::Statement change(s.db(), "UPDATE records SET raw = ?1 WHERE id = ?2");
        change.bind_blob(1, moved).bind(2, third.id).exec();
        t.commit();
        auto report = s.audit().verify();
        REQUIRE(report.problem.has_value());
        CHECK(report.problem->what == "records row " + std::to_string(third.id) + " was changed");
    }
    SUBCASE("a nonce deleted while the fix stays") {
        exec(s.db(), "UPDATE records SET fix_nonce = NULL WHERE id = ?1", third.id);
        auto report = s.audit().verify();
        REQUIRE(report.problem.has_value());
        CHECK(report.problem->what == "records row " + std::to_string(third.id) + " was changed");
    }
    SUBCASE("a fix blanked and its nonce deleted behind the log's back") {
        auto blanked = third.raw;
        std::ranges::copy(store::blank_fix(),
                          blanked.begin() + static_cast<std::ptrdiff_t>(fix_at));
        store::sql::Transaction t(s.db());
        store::sql::Statement change(s.db(),
                                     "UPDATE records SET raw = ?1, fix_nonce = NULL WHERE id = ?2");
        change.bind_blob(1, blanked).bind(2, third.id).exec();
        t.commit();
        auto report = s.audit().verify();
        REQUIRE(report.problem.has_value());
        CHECK(report.problem->what == "records row " + std::to_string(third.id) +
                                          " lost its fix without a redaction entry");
    }
    SUBCASE("the distance kept in a fix's place changed") {
        exec(s.db(), "UPDATE records SET fix_distance_m = 5 WHERE id = ?1", first.id);
        auto report = s.audit().verify();
        REQUIRE(report.problem.has_value());
        CHECK(report.problem->what ==
              "the distance kept for records row " + std::to_string(first.id) + " was changed");
    }
    SUBCASE("the rest of a record whose fix was dropped changed") {
        exec(s.db(), "UPDATE records SET rep = 'R2' WHERE id = ?1", second.id);
        auto report = s.audit().verify();
        REQUIRE(report.problem.has_value());
        CHECK(report.problem->what == "records row " + std::to_string(second.id) + " was changed");
    }
}

TEST_CASE("retention: photos go once every record that sent them is older than their days") {
    StoreFile file;
    store::GatewayStore s(file.location);
    std::vector<std::byte> jpeg(64, std::byte{0xd8});
    const std::string old_photo(64, 'a'), shared_photo(64, 'b');
    {
        store::sql::Transaction t(s.db());
        store::PhotoStore photos(s.db(), store::PhotoStore::Tables::existing);
        photos.put(old_photo, "image/jpeg", jpeg, "dev-001", now_ms - 40 * day_ms);
        photos.put(shared_photo, "image/jpeg", jpeg, "dev-001", now_ms - 40 * day_ms);
        photos.note_use(old_photo, {"dev-001", 1, "T1", now_ms - 40 * day_ms});
        photos.note_use(shared_photo, {"dev-001", 2, "T1", now_ms - 40 * day_ms});
        // Sent again today by another record: kept for that one's days.
        photos.note_use(shared_photo, {"dev-001", 3, "T1", now_ms - 1 * day_ms});
        t.commit();
    }
    store::Retention retention(s.db());
    CHECK(retention.drop_photos(now_ms - 30 * day_ms, 100,
                                "photos of records (retention 30 days)") == 1);
    store::PhotoStore photos(s.db(), store::PhotoStore::Tables::existing);
    CHECK_FALSE(photos.has(old_photo));
    CHECK(photos.has(shared_photo));
    CHECK(s.audit().verify().problem == std::nullopt);
    store::sql::Statement entry(
        s.db(), "SELECT detail FROM audit_log WHERE action = 'photos deleted' ORDER BY id");
    REQUIRE(entry.step());
    CHECK(entry.text(0) == "photos of records (retention 30 days): " + old_photo);
}

TEST_CASE("retention: a rejected check-in kept in quarantine loses its fix as a booked one does") {
    StoreFile file;
    store::GatewayStore s(file.location);
    auto record = check_in_at(1, now_ms - 40 * day_ms, old_lat, old_lon);
    auto raw = wire::encode_record(record);
    core::Verdict verdict;
    verdict.add(core::ReasonCode::unknown_terminal, "T1");
    {
        store::sql::Transaction t(s.db());
        s.quarantine("dev-001", &record, verdict, raw, now_ms, wire::decode_record(raw).fix_at);
        t.commit();
    }
    store::sql::Statement kept(s.db(), "SELECT raw FROM quarantine");
    REQUIRE(kept.step());
    REQUIRE(holds_bytes(kept.blob(0), float64_bytes(old_lat)));
    kept.reset();

    CHECK(drop_fixes_before(s.db(), now_ms - 30 * day_ms) == 1);
    REQUIRE(kept.step());
    CHECK_FALSE(holds_bytes(kept.blob(0), float64_bytes(old_lat)));
    CHECK_FALSE(holds_bytes(kept.blob(0), float64_bytes(old_lon)));
    kept.reset();
    auto report = s.audit().verify();
    std::string problem = report.problem ? report.problem->what : std::string();
    CHECK(problem == "");
    // The device sending it again, whole, is answered as for the same record.
    auto again = s.find("dev-001", 1, raw);
    REQUIRE(again.has_value());
    CHECK(again->outcome == core::Outcome::rejected);
    CHECK(again->same_bytes);

    exec(s.db(), "UPDATE quarantine SET fix_distance_m = 1 WHERE id = ?1", 1);
    auto broken = s.audit().verify();
    REQUIRE(broken.problem.has_value());
    CHECK(broken.problem->what == "the distance kept for quarantine row 1 was changed");
}
