#include "agent/outbox.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "agent/kept_photo.h"
#include "agent/report_commands.h"
#include "agent/scratch_state.h"
#include "schemas/record_codec.h"

using namespace fieldflow;
using agent::Outbox;

namespace {

// Every queued record, read back through the codec.
std::vector<core::Record> queued_records(Outbox& outbox) {
    std::vector<core::Record> out;
    for (const auto& q : outbox.oldest(1000)) {
        auto decoded = wire::decode_record(q.envelope);
        REQUIRE(decoded.record);
        CHECK(q.seq == decoded.record->seq);
        CHECK(q.kind == core::kind_name(decoded.record->payload));
        out.push_back(*decoded.record);
    }
    return out;
}

struct SetUp {
    test::ScratchState dir;
    Outbox outbox{dir.handheld()};
    SetUp() { outbox.init({"dev-001", "R1"}); }
};

core::CheckIn at_t1() {
    return {"T1", 31.2304, 121.5060, 8, core::FixJudgement::manual, 0};
}

}  // namespace

TEST_CASE("outbox: what a rep captures is queued as envelopes that decode to it, in seq order") {
    SetUp s;
    CHECK(s.outbox.check_in(at_t1()).seq == 1);
    CHECK(s.outbox.count("P1", 3, "L7") == 2);
    CHECK(s.outbox.report_in_visit([](const std::string& terminal) {
        return core::Promotion{terminal, "P2", "discount", 1250, "2026-12-01", "2026-12-31"};
    }) == 3);
    CHECK(s.outbox.report(core::DistributorStock{"D1", "P1", "", 40, "2026-12-02", ""}) == 4);
    CHECK(s.outbox.check_out() == 5);

    auto records = queued_records(s.outbox);
    REQUIRE(records.size() == 5);
    for (std::size_t i = 0; i < records.size(); ++i) {
        CHECK(records[i].device == "dev-001");
        CHECK(records[i].rep == "R1");
        CHECK(records[i].seq == i + 1);
        CHECK(records[i].captured_at_ms > 0);
        CHECK(records[i].corrects == 0);
    }
    CHECK(std::get<core::CheckIn>(records[0].payload) == at_t1());
    CHECK(std::get<core::StockCount>(records[1].payload) ==
          core::StockCount{"T1", "P1", "L7", 3, false});
    CHECK(std::get<core::Promotion>(records[2].payload) ==
          core::Promotion{"T1", "P2", "discount", 1250, "2026-12-01", "2026-12-31"});
    CHECK(std::get<core::DistributorStock>(records[3].payload) ==
          core::DistributorStock{"D1", "P1", "", 40, "2026-12-02", ""});
    CHECK(std::get<core::CheckOut>(records[4].payload) == core::CheckOut{"T1", 1, false});
    CHECK_FALSE(s.outbox.open_visit());
}

TEST_CASE("outbox: a check-in while a visit is open closes that visit first, automatically") {
    SetUp s;
    s.outbox.check_in(at_t1());
    auto second = s.outbox.check_in({"T2", 30.259, 120.13, 5, core::FixJudgement::ok, 2000});
    REQUIRE(second.closed);
    CHECK(second.closed->terminal == "T1");
    CHECK(second.seq == 3);
    auto records = queued_records(s.outbox);
    REQUIRE(records.size() == 3);
    CHECK(std::get<core::CheckOut>(records[1].payload) == core::CheckOut{"T1", 1, true});
    CHECK(std::get<core::CheckIn>(records[2].payload).fix == core::FixJudgement::ok);
    REQUIRE(s.outbox.open_visit());
    CHECK(s.outbox.open_visit()->terminal == "T2");
    CHECK(s.outbox.open_visit()->check_in_seq == 3);
}

TEST_CASE("outbox: a correction names the record it corrects, and only the next capture does") {
    SetUp s;
    s.outbox.check_in(at_t1());
    s.outbox.count("P1", 3, "");
    s.outbox.correct_next(2);
    s.outbox.count("P1", 4, "");
    s.outbox.count("P2", 1, "");
    auto records = queued_records(s.outbox);
    REQUIRE(records.size() == 4);
    CHECK(records[2].corrects == 2);
    CHECK(records[3].corrects == 0);
}

TEST_CASE("outbox: the clock skew a receiver measured rides on every later record") {
    SetUp s;
    s.outbox.check_in(at_t1());
    s.outbox.set_clock_skew(-1500);
    s.outbox.count("P1", 3, "");
    auto records = queued_records(s.outbox);
    REQUIRE(records.size() == 2);
    CHECK_FALSE(records[0].clock_skew_ms);
    CHECK(records[1].clock_skew_ms == -1500);
}

TEST_CASE("outbox: nothing is captured outside a visit or before init") {
    test::ScratchState dir;
    Outbox outbox(dir.handheld());
    CHECK_THROWS_AS(outbox.check_in(at_t1()), agent::Refused);
    outbox.init({"dev-001", "R1"});
    CHECK_THROWS_AS(outbox.count("P1", 1, ""), agent::Refused);
    CHECK_THROWS_AS(outbox.check_out(), agent::Refused);
    CHECK_THROWS_AS(outbox.report_in_visit([](const std::string& terminal) {
        return core::TerminalSales{terminal, "P1", 1, ""};
    }),
                    agent::Refused);
    CHECK(outbox.depth() == 0);
    CHECK(outbox.next_seq() == 1);
}

TEST_CASE("outbox: beyond its limit a capture is refused whole and nothing is written") {
    SetUp s;
    s.outbox.set_outbox_limit(3);
    s.outbox.check_in(at_t1());
    s.outbox.count("P1", 1, "");
    // A check-in in an open visit is two records (the automatic check-out):
    // with room for one, neither is saved.
    CHECK_THROWS_AS(s.outbox.check_in({"T2", 30.259, 120.13, 5}), agent::Refused);
    CHECK(s.outbox.depth() == 2);
    CHECK(s.outbox.open_visit()->terminal == "T1");
    CHECK_THROWS_AS(s.outbox.reports({core::DistributorStock{"D1", "P1", "", 1, "2026-12-02", ""},
                                      core::DistributorStock{"D1", "P2", "", 1, "2026-12-02", ""}}),
                    agent::Refused);
    CHECK(s.outbox.depth() == 2);
    CHECK(s.outbox.next_seq() == 3);
    CHECK(s.outbox.count("P1", 2, "") == 3);
    CHECK_THROWS_AS(s.outbox.count("P1", 3, ""), agent::Refused);
    CHECK(s.outbox.depth() == 3);
}

TEST_CASE("outbox: a value the record cannot carry is refused before anything is written") {
    SetUp s;
    s.outbox.check_in(at_t1());
    const std::int64_t too_many = std::int64_t{std::numeric_limits<std::int32_t>::max()} + 1;
    CHECK_THROWS_AS(s.outbox.count("P1", too_many, ""), wire::Unencodable);
    // One bad row among good ones: the rows go together or not at all.
    CHECK_THROWS_AS(
        s.outbox.reports({core::DistributorStock{"D1", "P1", "", 1, "2026-12-02", ""},
                          core::DistributorStock{"D1", "P2", "", too_many, "2026-12-02", ""}}),
        wire::Unencodable);
    CHECK(s.outbox.depth() == 1);
    CHECK(s.outbox.next_seq() == 2);
    CHECK(s.outbox.count("P1", 1, "") == 2);
}

TEST_CASE("outbox: records leave only with their ack, and stay across a restart until then") {
    test::ScratchState dir;
    {
        Outbox outbox(dir.handheld());
        outbox.init({"dev-001", "R1"});
        outbox.check_in(at_t1());
        outbox.count("P1", 3, "");
        outbox.count("P2", 5, "");
        // Reading them to send deletes nothing.
        CHECK(outbox.oldest(10).size() == 3);
        CHECK(outbox.oldest(10, 1).size() == 2);
        CHECK(outbox.depth() == 3);
    }
    Outbox outbox(dir.handheld());  // the handheld restarted
    auto queued = outbox.oldest(10);
    REQUIRE(queued.size() == 3);
    outbox.acknowledge({{1, "check_in", "accepted", {}},
                        {2, "stock_count", "flagged", {{"count_outlier", "3 packs, usually 40"}}}});
    CHECK(outbox.depth() == 1);
    REQUIRE(outbox.oldest(10).size() == 1);
    CHECK(outbox.oldest(10)[0].seq == 3);
    CHECK(outbox.oldest(10)[0].envelope == queued[2].envelope);
    auto verdicts = outbox.verdicts(10);
    REQUIRE(verdicts.size() == 1);
    CHECK(verdicts[0].seq == 2);
    CHECK(verdicts[0].verdict == "flagged");
    REQUIRE(verdicts[0].reasons.size() == 1);
    CHECK(verdicts[0].reasons[0].code == "count_outlier");
    REQUIRE(outbox.last_ack());
    CHECK(outbox.last_ack()->accepted == 1);
    CHECK(outbox.last_ack()->flagged == 1);
    // Seq numbers are never reused after a delete.
    CHECK(outbox.count("P1", 1, "") == 4);
}

TEST_CASE("outbox: a photo kept for a capture that is then refused does not stay on the handheld") {
    SetUp s;
    auto photo = s.dir.path() / "shelf.jpg";
    std::ofstream(photo, std::ios::binary) << "\xFF\xD8\xFF shelf";
    std::filesystem::path kept;
    {
        Outbox outbox(s.dir.handheld());
        core::Display display{"", "P1", false, 4, "eye"};
        agent::attach_photo(outbox, display, photo.string());
        kept = agent::kept_photo_path(s.dir.handheld(), display.photo_sha256);
        REQUIRE(std::filesystem::exists(kept));
        // No visit is open: the display is refused, and nothing names the photo.
        std::ostringstream said;
        CHECK_THROWS_AS(agent::save_visit_report(outbox, display, said), agent::Refused);
    }
    CHECK_FALSE(std::filesystem::exists(kept));

    // Kept for a capture that was saved, it stays until the gateway has it.
    {
        Outbox outbox(s.dir.handheld());
        outbox.check_in(at_t1());
        core::Display display{"", "P1", false, 4, "eye"};
        agent::attach_photo(outbox, display, photo.string());
        std::ostringstream said;
        agent::save_visit_report(outbox, display, said);
        CHECK(outbox.photo_counts().queued == 1);
    }
    CHECK(std::filesystem::exists(kept));
}

TEST_CASE("outbox: the open visit's lines are written with their capture, and only then") {
    test::ScratchState dir;
    {
        Outbox outbox(dir.handheld());
        outbox.init({"dev-001", "R1"});
        outbox.set_outbox_limit(3);
        outbox.check_in(at_t1());
        outbox.list_next({0, "counts", R"({"lot":"L1"})", {}, {}});
        CHECK(outbox.count("P1", 3, "L1") == 2);
        outbox.list_next({0, "scans", R"({"lot":"L2"})", "gs1:06901234567892/S1", "2026-12-05"});
        CHECK(outbox.scan({"ean-13", "6901234567892", false, ""}) == 3);
        // Refused (the outbox is full): neither the record nor its line.
        outbox.list_next({0, "counts", R"({"lot":"REFUSED"})", {}, {}});
        CHECK_THROWS_AS(outbox.count("P1", 4, "REFUSED"), agent::Refused);
        outbox.list_nothing_next();
        // The gateway acks them all; the lines stay while the visit is open.
        outbox.acknowledge({{1, "check_in", "accepted", {}},
                            {2, "stock_count", "accepted", {}},
                            {3, "scan", "accepted", {}}});
        CHECK(outbox.depth() == 0);
        // A capture nothing listed has no line.
        CHECK(outbox.count("P2", 1, "") == 4);
    }
    Outbox outbox(dir.handheld());  // the handheld restarted
    auto lines = outbox.visit_lines();
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].seq == 2);
    CHECK(lines[0].list == "counts");
    CHECK(lines[0].shown == R"({"lot":"L1"})");
    CHECK(lines[1].seq == 3);
    CHECK(lines[1].list == "scans");
    CHECK(outbox.packs_scanned_on("2026-12-05") == std::set<std::string>{"gs1:06901234567892/S1"});
    CHECK(outbox.packs_scanned_on("2026-12-06").empty());
    outbox.check_out();
    CHECK(outbox.visit_lines().empty());
    // A new visit starts with no lines; the packs are the day's, not the visit's.
    outbox.check_in(at_t1());
    CHECK(outbox.visit_lines().empty());
    CHECK(outbox.packs_scanned_on("2026-12-05").size() == 1);
}
