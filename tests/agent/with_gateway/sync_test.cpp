#include "agent/sync.h"

#include <doctest/doctest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>
#include <string>

#include "agent/scratch_state.h"
#include "agent/with_gateway/old_gateway_relay.h"
#include "agent/with_gateway/sync_to.h"
#include "support/fault_proxy.h"
#include "support/in_process_gateway.h"
#include "support/scratch_store.h"
#include "support/test_ca.h"

using namespace fieldflow;
using agent::Outbox;
using test::InProcessGateway;

namespace {

// A handheld for rep R1 with `counts` stock counts in one visit at T1
// (where the master fixture puts it), captured offline.
void capture_offline(Outbox& outbox, int counts) {
    outbox.init({"dev-001", "R1"});
    outbox.check_in({"T1", 31.2304, 121.5060, 8});
    for (int i = 0; i < counts; ++i) outbox.count(i % 2 ? "P1" : "P2", 10 + i, "");
    outbox.check_out();
}

// Rows the gateway holds for dev-001, accepted, flagged or quarantined.
long long stored(InProcessGateway& gateway) {
    return test::store_scalar(gateway.db(),
                              "SELECT count(*) FROM records WHERE device = 'dev-001'") +
           test::store_scalar(gateway.db(),
                              "SELECT count(*) FROM quarantine WHERE device = 'dev-001'");
}

long long distinct_seqs(InProcessGateway& gateway) {
    return test::store_scalar(
        gateway.db(),
        "SELECT count(*) FROM (SELECT seq FROM records WHERE device = 'dev-001' UNION "
        "SELECT seq FROM quarantine WHERE device = 'dev-001') AS s");
}

}  // namespace

TEST_CASE("sync: records captured offline are stored once each and leave the outbox with the ack") {
    test::ScratchState dir;
    InProcessGateway gateway;
    Outbox outbox(dir.handheld());
    capture_offline(outbox, 40);
    REQUIRE(outbox.depth() == 42);

    std::ostringstream out;
    auto options = test::sync_to(gateway.address(), out);
    options.batch = 7;  // several batches, some in flight together
    CHECK(agent::sync(outbox, options) == 0);
    CHECK(outbox.depth() == 0);
    CHECK(stored(gateway) == 42);
    CHECK(distinct_seqs(gateway) == 42);
    CHECK(out.str().find("outbox empty: 42 records delivered") != std::string::npos);
    REQUIRE(outbox.last_ack());

    // Another sync has nothing to send, and the gateway gains nothing.
    CHECK(agent::sync(outbox, options) == 0);
    CHECK(stored(gateway) == 42);
    // What is captured next goes on from the next seq.
    outbox.check_in({"T1", 31.2304, 121.5060, 8});
    CHECK(agent::sync(outbox, options) == 0);
    CHECK(stored(gateway) == 43);
    CHECK(distinct_seqs(gateway) == 43);
}

TEST_CASE("sync: a gateway that goes away mid-sync loses nothing and stores nothing twice") {
    test::ScratchState dir;
    InProcessGateway gateway;
    Outbox outbox(dir.handheld());
    capture_offline(outbox, 60);

    SUBCASE("connections dropped and cut short on the way") {
        std::ostringstream out;
        {
            // Seeded: a failing run can be replayed.
            test::FaultProxy proxy(gateway.address(), 20261202);
            auto options = test::sync_to(proxy.address(), out);
            options.batch = 4;
            CHECK(agent::sync(outbox, options) == 0);
            CHECK(proxy.count(test::FaultProxy::drop) + proxy.count(test::FaultProxy::truncate) >
                  0);
        }
        CHECK(outbox.depth() == 0);
        CHECK(stored(gateway) == 62);
        CHECK(distinct_seqs(gateway) == 62);
    }
    SUBCASE("the gateway stopped") {
        auto before = outbox.oldest(100);
        auto address = gateway.address();
        gateway.stop();
        std::ostringstream out, log;
        auto options = test::sync_to(address, out);
        options.retry_for = std::chrono::seconds(1);
        options.log = std::make_shared<spdlog::logger>(
            "sync", std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
        CHECK(agent::sync(outbox, options) == 75);
        CHECK(out.str().find("gateway unreachable: 62 records still queued") != std::string::npos);
        // The retries are the log's, not the rep's answer.
        CHECK(log.str().find("retrying pause_ms=") != std::string::npos);
        CHECK(log.str().find("queued=62") != std::string::npos);
        CHECK(out.str().find("retrying") == std::string::npos);
        auto after = outbox.oldest(100);
        REQUIRE(after.size() == before.size());
        for (std::size_t i = 0; i < after.size(); ++i) {
            CHECK(after[i].seq == before[i].seq);
            CHECK(after[i].envelope == before[i].envelope);
        }
    }
}

TEST_CASE("sync: a credential the gateway refuses stops the sync and keeps every record") {
    test::ScratchState dir;
    auto options = InProcessGateway::open_options();
    options.auth = gateway::Options::Auth::enrolled;
    InProcessGateway gateway(options);
    auto token = gateway.enroll("dev-001", "R1");
    Outbox outbox(dir.handheld());
    capture_offline(outbox, 3);

    std::ostringstream out;
    auto sync_options = test::sync_to(gateway.address(), out);
    outbox.set_credential("ffd1.not-the-one-enrolled");
    try {
        agent::sync(outbox, sync_options);
        FAIL("a refused credential was not reported");
    } catch (const agent::Refused& e) {
        CHECK(std::string(e.what()).find("unauthenticated") != std::string::npos);
    }
    CHECK(outbox.depth() == 5);
    CHECK(stored(gateway) == 0);

    outbox.set_credential(token);
    CHECK(agent::sync(outbox, sync_options) == 0);
    CHECK(stored(gateway) == 5);
}

TEST_CASE("sync: a batch refused as frame_too_large goes again in smaller batches") {
    test::ScratchState dir;
    auto options = InProcessGateway::open_options();
    options.limits.max_frame_bytes = 8192;
    InProcessGateway gateway(options);
    // The gateway's welcome says nothing of its limit, as an older one's did.
    test::OldGatewayRelay relay(gateway.port());
    Outbox outbox(dir.handheld());
    outbox.init({"dev-001", "R1"});
    outbox.check_in({"T1", 31.2304, 121.5060, 8});
    // Notes that do not deflate: each record about 1.5 KB on the wire.
    std::string note;
    for (int i = 0; i < 1400; ++i) note += static_cast<char>('a' + (i * 7919 + i / 3) % 26);
    for (int i = 0; i < 30; ++i)
        outbox.report_in_visit([&](const std::string& terminal) {
            return core::Competitor{terminal, "Rival", "Rival " + std::to_string(i), 0,
                                    note + std::to_string(i)};
        });

    SUBCASE("halved until the batches fit") {
        std::ostringstream out;
        auto sync_options = test::sync_to(relay.address(), out);
        sync_options.batch = 30;
        CHECK(agent::sync(outbox, sync_options) == 0);
        CHECK(outbox.depth() == 0);
        CHECK(stored(gateway) == 31);
        CHECK(distinct_seqs(gateway) == 31);
    }
    SUBCASE("a single record still too large is reported and stays queued") {
        outbox.report_in_visit([&](const std::string& terminal) {
            std::string long_note;
            for (int i = 0; i < 6; ++i) long_note += note;
            return core::Competitor{terminal, "Rival", "Rival big", 0, long_note};
        });
        std::ostringstream out;
        auto sync_options = test::sync_to(relay.address(), out);
        try {
            agent::sync(outbox, sync_options);
            FAIL("a record larger than any frame was not reported");
        } catch (const agent::Refused& e) {
            CHECK(std::string(e.what()).find("record 32 is larger than the gateway accepts") !=
                  std::string::npos);
        }
        // Everything before it went; it stays.
        CHECK(outbox.depth() == 1);
        CHECK(outbox.oldest(10).at(0).seq == 32);
        CHECK(stored(gateway) == 31);
    }
}

TEST_CASE("sync: a TLS gateway reached without --ca is named as such, and nothing is sent") {
    test::ScratchState dir;
    auto ca = test::make_test_ca(dir.path() / "ca");
    auto options = InProcessGateway::open_options();
    options.tls_cert = ca.cert;
    options.tls_key = ca.key;
    InProcessGateway gateway(options);
    Outbox outbox(dir.handheld());
    capture_offline(outbox, 2);
    std::ostringstream out;
    auto sync_options = test::sync_to(gateway.address(), out);
    sync_options.retry_for = std::chrono::seconds(3);
    std::string refusal;
    try {
        agent::sync(outbox, sync_options);
    } catch (const agent::Refused& e) {
        refusal = e.what();
    }
    INFO(out.str());
    CHECK(refusal.find("looks like a TLS gateway") != std::string::npos);
    CHECK(refusal.find("--ca FILE") != std::string::npos);
    CHECK(refusal.find("4 records stay queued") != std::string::npos);
    CHECK(outbox.depth() == 4);
    CHECK(stored(gateway) == 0);
}
