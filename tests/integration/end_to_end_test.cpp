// One handheld's day travels to the gateway: captured with no network,
// uploaded, deduplicated, and never lost when the gateway dies mid-upload.

#include <doctest/doctest.h>

#include <csignal>
#include <fstream>
#include <regex>
#include <string>

#include "support/gateway_process.h"
#include "support/handheld.h"
#include "support/master_fixture.h"
#include "support/process.h"

using namespace fieldflow::test;

namespace {

// The agent run with `args`, which must succeed.
void must(const Handheld& agent, const std::vector<std::string>& args) {
    auto result = agent(args);
    INFO("fieldflow-agent ", args.front(), " printed: ", result.out);
    REQUIRE(result.code == 0);
}

// A working day: one check-in at T1, `counts` stock counts, one check-out.
void capture_day(const Handheld& agent, int counts) {
    must(agent, {"checkin", "--terminal", "T1", "--lat", "31.2305", "--lon", "121.5061",
                 "--accuracy", "8"});
    for (int i = 0; i < counts; ++i)
        must(agent, {"count", "--product", i % 2 ? "P1" : "P2", "--qty", std::to_string(i % 17),
                     "--lot", "L" + std::to_string(i % 5)});
    must(agent, {"checkout"});
}

long long scalar(const std::string& db, const std::string& sql) {
    return store_scalar(db, sql);
}

long long stored_count(const std::string& db) {
    return scalar(db, "SELECT (SELECT count(*) FROM records) + (SELECT count(*) FROM quarantine)");
}

long long distinct_seqs(const std::string& db, const std::string& device) {
    return scalar(db, "SELECT count(DISTINCT seq) FROM records WHERE device = '" + device + "'");
}

int last_acked(const std::string& out) {
    static const std::regex acked(R"(acked (\d+) of (\d+))");
    int last = 0;
    for (std::sregex_iterator it(out.begin(), out.end(), acked), end; it != end; ++it)
        last = std::stoi((*it)[1]);
    return last;
}

}  // namespace

TEST_CASE("end to end: 1,000 records captured offline are stored exactly once") {
    TempDir dir;
    auto master = write_master_fixture(dir.path());
    Handheld agent;
    must(agent, {"init", "--device", "dev-001", "--rep", "R1"});
    capture_day(agent, 998);  // 1 + 998 + 1 = 1,000 records, no gateway anywhere

    GatewayProcess gateway(master, dir.store("gateway.db"), "127.0.0.1:0", dir / "gateway.log");
    must(agent, {"sync", "--gateway", gateway.address()});
    CHECK(stored_count(dir.store("gateway.db")) == 1000);
    CHECK(distinct_seqs(dir.store("gateway.db"), "dev-001") == 1000);
    CHECK(scalar(dir.store("gateway.db"),
                 "SELECT count(*) FROM records WHERE verdict = 'accepted'") == 1000);

    must(agent, {"sync", "--gateway", gateway.address()});
    CHECK(stored_count(dir.store("gateway.db")) == 1000);

    // Sequence numbers go on from where they were, though the outbox is empty.
    capture_day(agent, 0);
    must(agent, {"sync", "--gateway", gateway.address()});
    CHECK(stored_count(dir.store("gateway.db")) == 1002);
    CHECK(scalar(dir.store("gateway.db"), "SELECT max(seq) FROM records") == 1002);

    gateway.process().signal(SIGTERM);
    CHECK(gateway.process().wait() == 0);
}

TEST_CASE("end to end: a gateway killed mid-upload loses no acked record and stores none twice") {
    TempDir dir;
    auto master = write_master_fixture(dir.path());
    Handheld agent;
    must(agent, {"init", "--device", "dev-001", "--rep", "R1"});
    capture_day(agent, 998);
    const std::string db = dir.store("gateway.db");

    std::string address;
    int acked_before_kill = 0;
    {
        GatewayProcess gateway(master, db, "127.0.0.1:0", dir / "gateway.log");
        address = gateway.address();
        Process sync({binary("fieldflow-agent"), "--state", agent.state, "sync", "--gateway",
                      address, "--batch", "50", "--retry-for", "2"});
        REQUIRE(sync.wait_for_line("acked ").has_value());
        gateway.process().signal(SIGKILL);
        REQUIRE(gateway.process().wait() == 128 + SIGKILL);

        // The agent keeps retrying, then gives up with its records queued.
        auto rest = sync.read_all();
        CHECK(sync.wait() == 75);
        acked_before_kill = std::max(50, last_acked(rest));
    }
    INFO("acked before the kill: ", acked_before_kill);
    CHECK(acked_before_kill < 1000);

    // Every record the agent let go of is in the store, from seq 1 up.
    CHECK(scalar(db, "SELECT count(*) FROM records WHERE device = 'dev-001' AND seq <= " +
                         std::to_string(acked_before_kill)) == acked_before_kill);

    GatewayProcess restarted(master, db, address, dir / "gateway.log");
    must(agent, {"sync", "--gateway", restarted.address()});
    CHECK(stored_count(db) == 1000);
    CHECK(distinct_seqs(db, "dev-001") == 1000);
    CHECK(scalar(db, "SELECT min(seq) FROM records") == 1);
    CHECK(scalar(db, "SELECT max(seq) FROM records") == 1000);
}
