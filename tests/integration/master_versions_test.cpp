// Master data versions while gateways run: a terminal imported with
// `fieldflow master import` is known to a running gateway within seconds,
// without a restart; a gateway started without --master judges against
// the store's latest version.

#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "support/gateway_process.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/wire_client.h"

using namespace fieldflow;
using namespace fieldflow::test;

namespace {

// T3 of the new version, and a fix at its door.
constexpr double t3_lat = 31.2010, t3_lon = 121.6010;
const char* const t3_row = "T3,益丰大药房(张江店),pharmacy,CN-SH-PD,31.2010,121.6010,80,B\n";

// The verdict the gateway at `address` gives one check-in at `terminal`.
std::optional<wire::Verdict> check_in(const std::string& address, std::uint64_t seq,
                                      const std::string& terminal, double lat, double lon) {
    WireClient client(address);
    if (!client.handshake("dev-001")) return std::nullopt;
    client.batch({check_in_record("dev-001", seq, terminal, lat, lon)});
    auto ack = client.receive();
    if (!ack || !ack->isAck() || ack->getAck().getResults().size() != 1) return std::nullopt;
    return ack->getAck().getResults()[0].getVerdict();
}

RunResult run_fieldflow(std::vector<std::string> args) {
    args.insert(args.begin(), binary("fieldflow"));
    return run(std::move(args));
}

bool log_has(const std::string& log, const std::string& part) {
    std::ifstream in(log);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("master versions: a terminal imported while the gateway runs is known within seconds") {
    TempDir dir;
    std::string master = write_master_fixture(dir.path());
    std::string db = dir.store("gateway.db");
    GatewayProcess gateway(master, db, "127.0.0.1:0", dir / "gateway.log");
    CHECK(store_scalar(db, "SELECT max(version) FROM master_versions") == 1);

    std::uint64_t seq = 1;
    CHECK(check_in(gateway.address(), seq++, "T3", t3_lat, t3_lon) == wire::Verdict::REJECTED);

    std::ofstream(std::filesystem::path(master) / "terminals.csv", std::ios::app) << t3_row;
    auto imported = run_fieldflow({"master", "import", master, "--db", db});
    REQUIRE(imported.code == 0);
    CHECK(imported.out.find("version 2 from ") == 0);

    // Taken up within a second or two; the bound is for a loaded machine.
    std::optional<wire::Verdict> verdict;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        verdict = check_in(gateway.address(), seq++, "T3", t3_lat, t3_lon);
        if (verdict == wire::Verdict::ACCEPTED) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    CHECK(verdict == wire::Verdict::ACCEPTED);
    CHECK(log_has(dir / "gateway.log", "master data version 2 taken up (was 1)"));
    // The gateway kept running all along.
    CHECK_FALSE(gateway.process().wait(std::chrono::milliseconds(0)));
}

TEST_CASE("master versions: without --master a gateway judges against the store's latest") {
    TempDir dir;
    std::string master = write_master_fixture(dir.path());
    std::string db = dir.store("gateway.db");

    // Nothing in the store yet: nothing to judge against.
    Process bare(
        {binary("fieldflow-gateway"), "--listen", "127.0.0.1:0", "--db", db, "--auth", "open"},
        dir / "bare.log");
    CHECK(bare.wait() == 2);
    CHECK(log_has(dir / "bare.log", "no master data: the store has no version yet"));

    std::ofstream(std::filesystem::path(master) / "terminals.csv", std::ios::app) << t3_row;
    REQUIRE(run_fieldflow({"master", "import", master, "--db", db}).code == 0);
    GatewayProcess gateway("", db, "127.0.0.1:0", dir / "gateway.log");
    CHECK(check_in(gateway.address(), 1, "T3", t3_lat, t3_lon) == wire::Verdict::ACCEPTED);
    CHECK(log_has(dir / "gateway.log", "master data version 1 from the store"));
}

TEST_CASE("master versions: --master imports the folder only when it differs from the latest") {
    TempDir dir;
    std::string master = write_master_fixture(dir.path());
    std::string db = dir.store("gateway.db");
    { GatewayProcess first(master, db, "127.0.0.1:0", dir / "first.log"); }
    { GatewayProcess again(master, db, "127.0.0.1:0", dir / "again.log"); }
    CHECK(store_scalar(db, "SELECT count(*) FROM master_versions") == 1);
    CHECK(log_has(dir / "again.log", "is version 1 already"));
}
