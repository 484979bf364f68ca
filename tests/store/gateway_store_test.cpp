#include "store/gateway_store.h"

#include <doctest/doctest.h>

#include "store/store_file.h"

#include <algorithm>
#include <filesystem>
#include <atomic>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

using namespace fieldflow;
using fieldflow::test::StoreFile;

namespace {

std::vector<std::byte> bytes(const std::string& text) {
    std::vector<std::byte> out;
    for (char c : text) out.push_back(static_cast<std::byte>(c));
    return out;
}

core::Record check_in(std::uint64_t seq, const std::string& terminal = "T1") {
    return core::Record{"dev-001", seq, "R1", 1000, core::CheckIn{terminal, 31.2, 121.5, 5}};
}

template <typename F>
void in_transaction(store::GatewayStore& s, F&& f) {
    store::sql::Transaction t(s.db());
    f();
    t.commit();
}

}  // namespace

TEST_CASE("store: a booked record is found with its verdict and reasons in order") {
    StoreFile file;
    store::GatewayStore s(file.location);
    core::Verdict verdict;
    verdict.add(core::ReasonCode::outside_geofence, "600 m from T1");
    verdict.add(core::ReasonCode::outside_territory, "CN-ZJ");
    in_transaction(s, [&] { s.book(check_in(1), verdict, bytes("raw-1"), 2000); });

    auto found = s.find("dev-001", 1, bytes("raw-1"));
    REQUIRE(found.has_value());
    CHECK(found->outcome == core::Outcome::flagged);
    CHECK(found->same_bytes);
    REQUIRE(found->reasons.size() == 2);
    CHECK(found->reasons[0] == core::Reason{core::ReasonCode::outside_geofence, "600 m from T1"});
    CHECK(found->reasons[1].code == core::ReasonCode::outside_territory);

    CHECK_FALSE(s.find("dev-001", 1, bytes("other"))->same_bytes);
    CHECK_FALSE(s.find("dev-001", 2, bytes("raw-1")).has_value());
    CHECK_FALSE(s.find("dev-002", 1, bytes("raw-1")).has_value());
}

TEST_CASE("store: the same (device, seq) cannot be booked twice") {
    StoreFile file;
    store::GatewayStore s(file.location);
    in_transaction(s, [&] { s.book(check_in(1), {}, bytes("a"), 1); });
    CHECK_THROWS(in_transaction(s, [&] { s.book(check_in(1), {}, bytes("b"), 1); }));
    CHECK(s.counts().accepted == 1);
}

TEST_CASE("store: quarantined records are found by identity and unreadable ones by content") {
    StoreFile file;
    store::GatewayStore s(file.location);
    core::Verdict unknown;
    unknown.add(core::ReasonCode::unknown_terminal, "T9");
    core::Verdict unreadable;
    unreadable.add(core::ReasonCode::malformed_record, "garbage");
    auto rec = check_in(5, "T9");
    in_transaction(s, [&] {
        s.quarantine("dev-001", &rec, unknown, bytes("raw-5"), 10);
        s.quarantine("dev-001", nullptr, unreadable, bytes("\x01\x02"), 10);
    });
    auto by_identity = s.find("dev-001", 5, bytes("raw-5"));
    REQUIRE(by_identity.has_value());
    CHECK(by_identity->outcome == core::Outcome::rejected);
    CHECK(by_identity->reasons[0].code == core::ReasonCode::unknown_terminal);

    CHECK(s.find_unreadable("dev-001", bytes("\x01\x02")).has_value());
    CHECK_FALSE(s.find_unreadable("dev-002", bytes("\x01\x02")).has_value());
    CHECK_FALSE(s.find_unreadable("dev-001", bytes("\x01\x03")).has_value());
    CHECK(s.counts().rejected == 2);
}

TEST_CASE("store: a record quarantined as sent by another device does not shadow the real one") {
    StoreFile file;
    store::GatewayStore s(file.location);
    core::Verdict forged;
    forged.add(core::ReasonCode::wrong_device, "sent by dev-002");
    auto rec = check_in(1);
    in_transaction(s, [&] { s.quarantine("dev-002", &rec, forged, bytes("forged"), 1); });
    CHECK_FALSE(s.find("dev-001", 1, bytes("forged")).has_value());
}

TEST_CASE("store: the open visit is set, replaced and cleared") {
    StoreFile file;
    store::GatewayStore s(file.location);
    CHECK_FALSE(s.open_visit("dev-001").has_value());
    in_transaction(s, [&] { s.set_open_visit("dev-001", core::OpenVisit{"T1", 3}); });
    CHECK(s.open_visit("dev-001") == core::OpenVisit{"T1", 3});
    in_transaction(s, [&] { s.set_open_visit("dev-001", core::OpenVisit{"T2", 9}); });
    CHECK(s.open_visit("dev-001") == core::OpenVisit{"T2", 9});
    in_transaction(s, [&] { s.set_open_visit("dev-001", std::nullopt); });
    CHECK_FALSE(s.open_visit("dev-001").has_value());
}

TEST_CASE(
    "store: visits and pack sightings held in a transaction count at once, and only if it "
    "commits") {
    StoreFile file;
    store::GatewayStore s(file.location);
    in_transaction(s, [&] {
        // A check-in and its check-out, then the next check-in: one row in the end.
        s.set_open_visit("dev-001", core::OpenVisit{"T1", 1});
        s.set_open_visit("dev-001", std::nullopt);
        s.set_open_visit("dev-001", core::OpenVisit{"T2", 11});
        CHECK(s.open_visit("dev-001") == core::OpenVisit{"T2", 11});
        s.saw_pack("P-1", "T2", "dev-001", 12);
        auto looked_up = s.packs_seen_at({"P-1", "P-2"});  // P-1's row not sent yet
        // Sent with the next read of the records, which must not make the
        // earlier lookup's "never seen" the answer for P-1.
        CHECK_FALSE(s.find("dev-001", 99, {}).has_value());
        CHECK(s.pack_seen_at("P-1", &looked_up) == std::optional<std::string>("T2"));
        CHECK_FALSE(s.pack_seen_at("P-2", &looked_up).has_value());
        s.saw_pack("P-1", "T9", "dev-002", 4);  // the first sighting stands
    });
    CHECK(s.open_visit("dev-001") == core::OpenVisit{"T2", 11});
    CHECK(s.pack_seen_at("P-1") == std::optional<std::string>("T2"));
    auto both = s.packs_seen_at({"P-1", "P-2"});
    CHECK(both.at("P-1") == std::optional<std::string>("T2"));
    CHECK_FALSE(both.at("P-2").has_value());
    CHECK(s.db().query_int64("SELECT count(*) FROM open_visits") == 1);

    {
        store::sql::Transaction lost(s.db());
        s.set_open_visit("dev-001", std::nullopt);
        s.saw_pack("P-3", "T2", "dev-001", 13);
        CHECK(s.pack_seen_at("P-3") == std::optional<std::string>("T2"));
    }  // rolled back
    CHECK(s.open_visit("dev-001") == core::OpenVisit{"T2", 11});
    CHECK_FALSE(s.pack_seen_at("P-3").has_value());
}

TEST_CASE(
    "store: a device's stored seqs count what this transaction holds, what a rollback left and "
    "what another gateway stored") {
    StoreFile file;
    store::GatewayStore s(file.location), beside(file.location);
    using Seqs = std::vector<std::uint64_t>;
    in_transaction(s, [&] {
        CHECK(s.stored_seqs("dev-001", 1, 5) == Seqs{});
        s.book(check_in(1), {}, bytes("one"), 1);
        s.book(check_in(2), {}, bytes("two"), 1);
        CHECK(s.stored_seqs("dev-001", 1, 5) == Seqs{1, 2});  // held, not sent yet
        CHECK(s.stored_seqs("dev-001", 3, 5) == Seqs{});
    });
    {
        store::sql::Transaction lost(s.db());
        s.book(check_in(3), {}, bytes("three"), 1);
    }  // rolled back: seq 3 is free again
    CHECK(s.stored_seqs("dev-001", 1, 5) == Seqs{1, 2});
    // Quarantined under the device's own identity counts too.
    core::Verdict refused;
    refused.add(core::ReasonCode::unknown_terminal, "T9");
    auto four = check_in(4, "T9");
    in_transaction(s, [&] { s.quarantine("dev-001", &four, refused, bytes("four"), 1); });
    CHECK(s.stored_seqs("dev-001", 3, 9) == Seqs{4});
    // Stored by another connection, as a second gateway on the same store
    // does: this one finds it in its next transaction.
    in_transaction(beside, [&] { beside.book(check_in(7), {}, bytes("seven"), 1); });
    in_transaction(s, [&] { CHECK(s.stored_seqs("dev-001", 5, 9) == Seqs{7}); });
    // Its ids too: this connection's next record takes the id after that one.
    in_transaction(s, [&] { s.book(check_in(8), {}, bytes("eight"), 1); });
    CHECK(s.db().query_int64("SELECT id FROM records WHERE seq = 8") ==
          s.db().query_int64("SELECT id FROM records WHERE seq = 7") + 1);
}

TEST_CASE("store: a rolled-back transaction leaves nothing, a committed one survives reopening") {
    StoreFile file;
    {
        store::GatewayStore s(file.location);
        {
            store::sql::Transaction t(s.db());
            s.book(check_in(1), {}, bytes("one"), 1);
        }  // no commit
        CHECK_FALSE(s.find("dev-001", 1, bytes("one")).has_value());
        in_transaction(s, [&] { s.book(check_in(2), {}, bytes("two"), 1); });
    }
    store::GatewayStore reopened(file.location);
    CHECK(reopened.find("dev-001", 2, bytes("two")).has_value());
    CHECK(reopened.counts().accepted == 1);
}

TEST_CASE("store: listing gives booked then quarantined records with their raw bytes") {
    StoreFile file;
    store::GatewayStore s(file.location);
    core::Verdict rejected;
    rejected.add(core::ReasonCode::malformed_record, "x");
    in_transaction(s, [&] {
        s.book(check_in(1), {}, bytes("b1"), 1);
        s.quarantine("dev-001", nullptr, rejected, bytes("q1"), 2);
        s.book(check_in(2), {}, bytes("b2"), 3);
    });
    std::vector<std::string> seen;
    s.for_each_record([&](const store::StoredRecord& r) {
        seen.push_back(std::string(reinterpret_cast<const char*>(r.raw.data()), r.raw.size()) +
                       ":" + std::string(core::name(r.outcome)) + ":" +
                       (r.seq ? std::to_string(*r.seq) : "-"));
    });
    CHECK(seen == std::vector<std::string>{"b1:accepted:1", "b2:accepted:2", "q1:rejected:-"});
}

TEST_CASE("store: a store is brought to schema version 7, and one of a newer version is refused") {
    StoreFile file;
    {
        store::GatewayStore s(file.location);
        CHECK(s.db().schema_version() == 7);
        store::sql::Transaction t(s.db());
        s.db().set_schema_version(8);
        t.commit();
    }
    CHECK_THROWS_WITH_AS(store::GatewayStore(file.location),
                         doctest::Contains("written by a newer gateway (schema version 8)"),
                         std::runtime_error);
}

TEST_CASE("store: gateways opening a new store at the same moment all start") {
    // Each round a new store, opened by four at once as gateways started
    // together by one deployment are.
    for (int round = 0; round < 4; ++round) {
        test::TempDir dir;
        std::string location = dir.store("together.db");
        std::atomic<int> failed{0};
        std::string why;
        std::mutex mutex;
        std::vector<std::thread> gateways;
        for (int g = 0; g < 4; ++g)
            gateways.emplace_back([&] {
                try {
                    store::GatewayStore store(location);
                } catch (const std::exception& e) {
                    ++failed;
                    std::lock_guard lock(mutex);
                    why = e.what();
                }
            });
        for (auto& t : gateways) t.join();
        INFO("round " << round << ": " << why);
        REQUIRE(failed == 0);
    }
}

TEST_CASE(
    "store: a group's lookups asked together answer as one by one, and what the group books "
    "since counts") {
    StoreFile file;
    store::GatewayStore s(file.location);
    auto visit = [](const std::string& device, std::uint64_t seq) {
        return core::Record{device, seq, "R1", static_cast<std::int64_t>(1000 * seq),
                            core::CheckIn{"T1", 31.2, 121.5, 5}};
    };
    in_transaction(s, [&] {
        for (std::uint64_t seq = 1; seq <= 5; ++seq)
            s.book(visit("dev-001", seq), {}, bytes("a" + std::to_string(seq)), 1);
        s.book(visit("dev-002", 1), {}, bytes("b1"), 1);
        s.set_open_visit("dev-002", core::OpenVisit{"T9", 1});
    });
    std::vector<unsigned char> token(32, 7);
    s.enroll("dev-002", "R2", token, 1, "admin");
    auto seqs_of = [](const std::vector<store::StoredCheckIn>& found) {
        std::vector<std::uint64_t> seqs;
        for (const auto& c : found) seqs.push_back(c.seq);
        std::sort(seqs.begin(), seqs.end());
        return seqs;
    };

    store::sql::Transaction t(s.db());
    store::GatewayStore::Questions questions;
    questions.credentials = {"dev-001", "dev-002"};
    questions.open_visits = {"dev-001", "dev-002"};
    questions.seqs = {{"dev-001", 2, 4}, {"dev-002", 1, 9}, {"dev-001", 3, 6}};
    questions.check_ins = {{"dev-001", 2500, 3500}};
    s.look_up_together(questions);
    CHECK(s.stored_seqs("dev-001", 2, 4) == std::vector<std::uint64_t>{2, 3, 4});
    CHECK(s.stored_seqs("dev-001", 3, 6) == std::vector<std::uint64_t>{3, 4, 5});
    CHECK(s.stored_seqs("dev-002", 1, 9) == std::vector<std::uint64_t>{1});
    CHECK(s.stored_seqs("dev-002", 1, 20) == std::vector<std::uint64_t>{1});  // past the answer
    // The check-in inside the span and its neighbours on each side.
    CHECK(seqs_of(s.check_ins_around("dev-001", 2500, 3500)) ==
          std::vector<std::uint64_t>{2, 3, 4});
    CHECK(seqs_of(s.check_ins_around("dev-001", 3000, 3000)) ==
          std::vector<std::uint64_t>{2, 3, 4});
    CHECK_FALSE(s.credential("dev-001"));
    REQUIRE(s.credential("dev-002"));
    CHECK(s.credential("dev-002")->rep == "R2");
    CHECK_FALSE(s.open_visit("dev-001"));
    REQUIRE(s.open_visit("dev-002"));
    CHECK(s.open_visit("dev-002")->terminal == "T9");

    // Booked in this transaction after the answers: the lookups see it.
    s.book(visit("dev-001", 6), {}, bytes("a6"), 1);
    CHECK(s.stored_seqs("dev-001", 3, 6) == std::vector<std::uint64_t>{3, 4, 5, 6});
    CHECK(seqs_of(s.check_ins_around("dev-001", 5500, 5500)) == std::vector<std::uint64_t>{5, 6});
    t.commit();
}
