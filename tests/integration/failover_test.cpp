// Several gateways on one store behind one list of addresses: a handheld
// (and each of loadgen's) whose gateway fails moves on to the next in the
// list, and what it had sent and not seen acked goes again there, stored once.

#include <doctest/doctest.h>

#include <csignal>
#include <thread>

#include "support/gateway_process.h"
#include "support/handheld.h"
#include "support/master_fixture.h"
#include "support/process.h"

using namespace fieldflow;
using namespace fieldflow::test;

TEST_CASE("failover: a handheld whose first gateway is down syncs to the next one") {
    TempDir dir;
    std::string master = write_master_fixture(dir.path());
    std::string db = dir.store("shared.db");
    GatewayProcess gone(master, db, "127.0.0.1:0", dir / "gone.log");
    GatewayProcess up(master, db, "127.0.0.1:0", dir / "up.log");
    gone.process().signal(SIGKILL);
    gone.process().wait();

    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    h({"checkin", "--terminal", "T1", "--lat", "31.2304", "--lon", "121.5060", "--accuracy", "5"});
    h({"count", "--product", "P1", "--qty", "4"});
    auto sync = h({"sync", "--gateway", gone.address() + "," + up.address(), "--retry-for", "20"});
    INFO(sync.out);
    CHECK(sync.code == 0);
    CHECK(h.status_has("\"depth\":0,"));
    CHECK(store_scalar(db, "SELECT count(*) FROM records") == 2);

    // The one that answers may come first in the list as well as last.
    h({"checkout"});
    sync = h({"sync", "--gateway", up.address() + "," + gone.address(), "--retry-for", "20"});
    CHECK(sync.code == 0);
    CHECK(store_scalar(db, "SELECT count(*) FROM records") == 3);
}

TEST_CASE("failover: a list of gateways with an empty or malformed address is refused" *
          doctest::test_suite("no gateway store")) {
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    for (std::string bad :
         {"127.0.0.1:9000,", "127.0.0.1:9000,,127.0.0.1:9001", "127.0.0.1:9000,localhost"}) {
        // stderr, through a shell: run() keeps stdout only.
        auto sync = run({"/bin/sh", "-c",
                         binary("fieldflow-agent") + " --state " + h.state + " sync --gateway '" +
                             bad + "' 2>&1"});
        INFO(bad << ": " << sync.out);
        CHECK(sync.code == 2);
        CHECK(sync.out.find("--gateway") != std::string::npos);
        CHECK(sync.out.find("HOST:PORT[,HOST:PORT...]") != std::string::npos);
    }
}

TEST_CASE("failover: a gateway killed under load loses nothing acked and stores nothing twice" *
          doctest::test_suite("postgresql only")) {
    TempDir dir;
    std::string master = write_master_fixture(dir.path());
    std::string db = dir.store("shared.db");
    auto a = std::make_unique<GatewayProcess>(master, db, "127.0.0.1:0", dir / "a.log");
    GatewayProcess b(master, db, "127.0.0.1:0", dir / "b.log");
    constexpr int agents = 6, records = 600, total = agents * records;
    // Device i starts at gateway i modulo two: half the fleet on each, for
    // about three seconds of small batches.
    Process fleet({binary("fieldflow"), "loadgen", "--gateway", a->address() + "," + b.address(),
                   "--master", master, "--agents", std::to_string(agents), "--records",
                   std::to_string(records), "--batch", "10", "--rate", "1200"},
                  dir / "loadgen.log");
    for (int i = 0; i < 400 && store_scalar(db, "SELECT count(*) FROM records") < total / 6; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    REQUIRE(store_scalar(db, "SELECT count(*) FROM records") >= total / 6);
    // Mid-stream: batches in flight to it, some committed and not acked.
    a->process().signal(SIGKILL);
    a->process().wait();
    CHECK(store_scalar(db, "SELECT count(*) FROM records") < total);

    auto out = fleet.read_all();
    INFO(out);
    CHECK(fleet.wait() == 0);
    CHECK(out.find("acked " + std::to_string(total) + " of " + std::to_string(total) +
                   " exactly once: yes") != std::string::npos);
    CHECK(store_scalar(db, "SELECT count(*) FROM records") == total);
    CHECK(store_scalar(db, "SELECT count(DISTINCT device || ':' || seq) FROM records") == total);
    CHECK(store_scalar(db, "SELECT count(*) FROM quarantine") == 0);
    auto verify = run({binary("fieldflow"), "audit", "verify", "--db", db});
    INFO(verify.out);
    CHECK(verify.code == 0);
}
