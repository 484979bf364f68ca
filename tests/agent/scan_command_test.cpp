#include "agent/scan_command.h"

#include <doctest/doctest.h>

#include <sstream>

#include "agent/scratch_state.h"
#include "agent/usage_error.h"
#include "schemas/record_codec.h"

using namespace fieldflow;

TEST_CASE("scan sources: a scan engine's lines become scans in the open visit") {
    test::ScratchState dir;
    agent::Outbox outbox(dir.handheld());
    outbox.init({"dev-004", "R1"});
    outbox.check_in({"T1", 31.2304, 121.5060, 8});
    agent::ScanSources engine;
    engine.line = true;
    std::istringstream lines("4006381333931\r\n\r\n86010000001234567890\n");
    std::ostringstream out;
    CHECK(agent::scan_from(outbox, engine, false, lines, out) == 0);
    auto queued = outbox.oldest(10);
    REQUIRE(queued.size() == 3);
    auto first = wire::decode_record(queued[1].envelope);
    REQUIRE(first.record);
    auto scan = std::get<core::Scan>(first.record->payload);
    CHECK(scan.terminal == "T1");
    CHECK(scan.content == "4006381333931");
    CHECK(scan.source == "scanner");
}

TEST_CASE("scan sources: none, or frames and lines together, are usage mistakes") {
    test::ScratchState dir;
    agent::Outbox outbox(dir.handheld());
    std::istringstream lines;
    std::ostringstream out;
    CHECK_THROWS_AS(agent::scan_from(outbox, {}, false, lines, out), agent::UsageError);
    agent::ScanSources both;
    both.images = {"frame.png"};
    both.from = "/dev/ttyUSB0";
    CHECK_THROWS_AS(agent::scan_from(outbox, both, false, lines, out), agent::UsageError);
    agent::ScanSources missing;
    missing.from = (dir.path() / "no-such-device").string();
    CHECK_THROWS_AS(agent::scan_from(outbox, missing, false, lines, out), agent::Refused);
}
