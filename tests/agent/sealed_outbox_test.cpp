// A handheld with the rep's PIN set keeps nothing of the rep's day in the
// clear: its files searched byte by byte hold no fix, no counted record and
// no photo, whether captured before the PIN was set or after; locked, it
// refuses to capture or read, and the PIN opens it again.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "agent/outbox.h"
#include "agent/report_commands.h"
#include "agent/scratch_state.h"
#include "agent/state_bytes.h"
#include "schemas/record_codec.h"
#include "support/float64_bytes.h"

using namespace fieldflow;
using agent::Outbox;

namespace {

constexpr auto for_the_test = std::chrono::minutes(10);

// A fix 40 m from T1, as a phone would give it, and one further on.
const core::CheckIn first_fix{"T1", 31.2307713, 121.5063419, 8, core::FixJudgement::manual, 0};
const core::CheckIn second_fix{
    "T-PUDONG-0417", 31.2419587, 121.4961283, 6, core::FixJudgement::manual, 0};

std::vector<char> noise_photo(const std::filesystem::path& path, unsigned seed) {
    std::vector<char> bytes(20'000);
    std::mt19937 random(seed);
    for (auto& b : bytes) b = static_cast<char>(random());
    bytes[0] = '\xFF';
    bytes[1] = '\xD8';
    std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
    return bytes;
}

bool holds(const std::string& all, const std::string& what) {
    return all.find(what) != std::string::npos;
}

// Anything of the fix, as stored (Float64) or as text.
bool holds_fix(const std::string& all, const core::CheckIn& in) {
    return holds(all, test::float64_bytes(in.lat)) || holds(all, test::float64_bytes(in.lon)) ||
           holds(all, "31.2307713") || holds(all, "121.5063419");
}

struct SealedHandheld {
    test::ScratchState dir;
    Outbox outbox{dir.handheld()};
    SealedHandheld() { outbox.init({"dev-001", "R1"}); }
    ~SealedHandheld() { outbox.lock(); }
};

}  // namespace

TEST_CASE(
    "sealed outbox: nothing of the day is on the flash in the clear, before the PIN or after") {
    SealedHandheld h;
    auto photo = noise_photo(h.dir.path() / "storefront.jpg", 7);
    core::CheckIn in = first_fix;
    agent::attach_photo(h.outbox, in, (h.dir.path() / "storefront.jpg").string());
    h.outbox.check_in(in);
    h.outbox.count("P1", 4817, "LOT-BEFORE-PIN");
    auto clear = h.outbox.oldest(10);
    REQUIRE(clear.size() == 2);
    std::string counted(reinterpret_cast<const char*>(clear[1].envelope.data()),
                        clear[1].envelope.size());
    // The visit's list as the rep's app shows it, and the day's packs.
    h.outbox.list_next({0, "scans", R"({"lot":"LOT-LISTED-BEFORE-PIN"})",
                        "gs1:06901234567892/SERIAL-BEFORE-PIN", "2026-12-05"});
    h.outbox.scan({"gs1-datamatrix", "LISTED-CODE-BEFORE-PIN", false, ""});
    // Before the PIN, the flash holds it all: the search below can find it.
    std::filesystem::remove(h.dir.path() / "storefront.jpg");
    auto before = test::state_bytes(h.dir.handheld());
    CHECK(holds_fix(before, in));
    CHECK(holds(before, counted));
    CHECK(holds(before, std::string(photo.begin() + 1000, photo.begin() + 1064)));
    CHECK(holds(before, "LOT-LISTED-BEFORE-PIN"));
    CHECK(holds(before, "SERIAL-BEFORE-PIN"));

    h.outbox.set_pin("246810", for_the_test);
    CHECK(h.outbox.lock_state().status == agent::LockStatus::unlocked);
    auto after_photo = noise_photo(h.dir.path() / "shelf.jpg", 8);
    h.outbox.check_in(second_fix);
    h.outbox.report_in_visit([&](const std::string& terminal) {
        core::Display display{terminal, "P1", false, 4, "eye", "", ""};
        return core::Payload(display);
    });
    h.outbox.list_next({0, "scans", R"({"lot":"LOT-LISTED-AFTER-PIN"})",
                        "gs1:06901234567892/SERIAL-AFTER-PIN", "2026-12-05"});
    h.outbox.scan({"gs1-datamatrix", "LISTED-CODE-AFTER-PIN", false, ""});
    h.outbox.count("P1", 9323, "LOT-AFTER-PIN");
    auto kept = h.outbox.keep_photo(h.dir.path() / "shelf.jpg");
    std::filesystem::remove(h.dir.path() / "shelf.jpg");

    auto all = test::state_bytes(h.dir.handheld());
    CHECK_FALSE(holds_fix(all, first_fix));
    CHECK_FALSE(holds(all, test::float64_bytes(second_fix.lat)));
    CHECK_FALSE(holds(all, test::float64_bytes(second_fix.lon)));
    CHECK_FALSE(holds(all, counted));
    CHECK_FALSE(holds(all, "LOT-BEFORE-PIN"));
    CHECK_FALSE(holds(all, "LOT-AFTER-PIN"));
    // Nor the open visit's list, nor the packs scanned today.
    for (const auto* listed :
         {"LOT-LISTED-BEFORE-PIN", "SERIAL-BEFORE-PIN", "LISTED-CODE-BEFORE-PIN",
          "LOT-LISTED-AFTER-PIN", "SERIAL-AFTER-PIN", "LISTED-CODE-AFTER-PIN"})
        CHECK_MESSAGE(!holds(all, listed), listed);
    CHECK_FALSE(holds(all, std::string(photo.begin() + 1000, photo.begin() + 1064)));
    CHECK_FALSE(holds(all, std::string(after_photo.begin() + 1000, after_photo.begin() + 1064)));
    // Where the rep went today is sealed too: the terminals of the visit and
    // the check-ins.
    CHECK_FALSE(holds(all, "T-PUDONG-0417"));

    // Read back with the key, everything is as captured.
    auto queued = h.outbox.oldest(10);
    // Two check-ins, the automatic check-out, two scans, display, two counts.
    REQUIRE(queued.size() == 8);
    CHECK(queued[1].envelope == clear[1].envelope);
    auto first = wire::decode_record(queued[0].envelope);
    REQUIRE(first.record);
    CHECK(std::get<core::CheckIn>(first.record->payload).lat == first_fix.lat);
    auto last = wire::decode_record(queued[7].envelope);
    REQUIRE(last.record);
    CHECK(std::get<core::StockCount>(last.record->payload).qty == 9323);
    CHECK(h.outbox.open_visit()->terminal == "T-PUDONG-0417");
    auto lines = h.outbox.visit_lines();
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].shown == R"({"lot":"LOT-LISTED-AFTER-PIN"})");
    CHECK(h.outbox.packs_scanned_on("2026-12-05") ==
          std::set<std::string>{"gs1:06901234567892/SERIAL-BEFORE-PIN",
                                "gs1:06901234567892/SERIAL-AFTER-PIN"});
    CHECK(h.outbox.checked_in_between(0, std::numeric_limits<std::int64_t>::max()) ==
          std::set<std::string>{"T1", "T-PUDONG-0417"});
    auto photos = h.outbox.queued_photos();
    REQUIRE(photos.size() == 1);
    CHECK(photos[0].bytes == photo.size());
    CHECK(h.outbox.photo_bytes(photos[0]) == photo);
    CHECK(h.outbox.photo_bytes({kept.sha256, agent::kept_photo_path(h.dir.handheld(), kept.sha256),
                                kept.bytes}) == after_photo);
}

TEST_CASE(
    "sealed outbox: locked, it refuses to capture or read, tells how much waits, and the PIN opens "
    "it") {
    SealedHandheld h;
    h.outbox.set_pin("246810", for_the_test);
    h.outbox.check_in(first_fix);
    h.outbox.lock();
    CHECK(h.outbox.lock_state().status == agent::LockStatus::locked);
    CHECK_THROWS_AS(h.outbox.count("P1", 3, "L1"), agent::Locked);
    CHECK_THROWS_AS(h.outbox.check_in(second_fix), agent::Locked);
    CHECK_THROWS_AS(h.outbox.oldest(10), agent::Locked);
    CHECK_THROWS_AS(h.outbox.open_visit(), agent::Locked);
    CHECK(h.outbox.depth() == 1);

    CHECK_THROWS_AS(h.outbox.unlock("135790", for_the_test), agent::WrongPin);
    CHECK(h.outbox.lock_state().failures == 1);
    h.outbox.unlock("246810", for_the_test);
    CHECK(h.outbox.lock_state().failures == 0);
    // Another process (the CLI beside the rep's app) finds the key held.
    Outbox other(h.dir.handheld());
    CHECK(other.lock_state().status == agent::LockStatus::unlocked);
    CHECK(other.count("P1", 3, "L1") == 2);
    CHECK(h.outbox.oldest(10).size() == 2);
}

TEST_CASE("sealed outbox: a changed PIN keeps what was sealed readable") {
    SealedHandheld h;
    h.outbox.set_pin("246810", for_the_test);
    h.outbox.check_in(first_fix);
    CHECK_THROWS_AS(h.outbox.set_pin("13579246", for_the_test, "111111"), agent::WrongPin);
    // Counted as any wrong PIN, so a change cannot be used to guess.
    CHECK(h.outbox.lock_state().failures == 1);
    h.outbox.set_pin("13579246", for_the_test, "246810");
    h.outbox.lock();
    CHECK_THROWS_AS(h.outbox.unlock("246810", for_the_test), agent::WrongPin);
    h.outbox.unlock("13579246", for_the_test);
    CHECK(h.outbox.open_visit()->terminal == "T1");
}

TEST_CASE(
    "sealed outbox: a rejected record's store is kept sealed with its verdict, and a correction "
    "is made for it with no visit open") {
    SealedHandheld h;
    h.outbox.check_in(second_fix);
    CHECK(h.outbox.count("P1", -3, "") == 2);
    h.outbox.check_out();
    h.outbox.acknowledge(
        {{1, "check_in", "accepted", {}},
         {2, "stock_count", "rejected", {{"negative_quantity", "qty -3 is negative"}}},
         {3, "check_out", "accepted", {}}});
    REQUIRE(h.outbox.verdicts(10).size() == 1);
    CHECK(h.outbox.verdicts(10)[0].terminal == "T-PUDONG-0417");

    h.outbox.set_pin("246810", for_the_test);
    // Kept before the PIN, sealed by it; an acked record's after it, sealed as written.
    h.outbox.correct_next(2);
    CHECK(h.outbox.count("P1", 3, "") == 4);
    CHECK_FALSE(h.outbox.open_visit().has_value());
    auto queued = h.outbox.oldest(10);
    REQUIRE(queued.size() == 1);
    auto correction = wire::decode_record(queued[0].envelope);
    REQUIRE(correction.record);
    CHECK(correction.record->corrects == 2);
    CHECK(std::get<core::StockCount>(correction.record->payload).terminal == "T-PUDONG-0417");
    h.outbox.acknowledge({{4, "stock_count", "flagged", {{"stock_variance", ""}}}});
    CHECK_FALSE(holds(test::state_bytes(h.dir.handheld()), "T-PUDONG-0417"));
    auto verdicts = h.outbox.verdicts(10);
    REQUIRE(verdicts.size() == 2);
    CHECK(verdicts[0].terminal == "T-PUDONG-0417");
    CHECK(verdicts[1].terminal == "T-PUDONG-0417");

    // A record whose store the handheld no longer holds: refused, naming it.
    h.outbox.correct_next(1);
    CHECK_THROWS_WITH_AS(h.outbox.count("P1", 3, ""),
                         doctest::Contains("which store record 1 was made in"), agent::Refused);
    h.outbox.correct_next(0);
    // Locked, the verdicts are listed without their stores.
    h.outbox.lock();
    REQUIRE(h.outbox.verdicts(10).size() == 2);
    CHECK(h.outbox.verdicts(10)[0].terminal.empty());
}
