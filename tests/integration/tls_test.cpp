// Agents and the gateway over TLS: the gateway's certificate must chain to
// the CA the agent was given, and nothing goes in clear off loopback.

#include <doctest/doctest.h>

#include "support/gateway_process.h"
#include "support/handheld.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/test_ca.h"

using namespace fieldflow::test;

namespace {

void capture(const Handheld& h) {
    h({"init", "--device", "dev-001", "--rep", "R1"});
    h({"checkin", "--terminal", "T1", "--lat", "31.2304", "--lon", "121.5060", "--accuracy", "5"});
    h({"count", "--product", "P1", "--qty", "3"});
}

}  // namespace

TEST_CASE("tls: an agent with the right CA uploads, a wrong CA or none uploads nothing") {
    TempDir dir;
    auto ours = make_test_ca(dir.path(), "ours");
    auto theirs = make_test_ca(dir.path(), "theirs");
    std::string db = dir.store("gateway.db");
    GatewayProcess gateway(write_master_fixture(dir.path()), db, "127.0.0.1:0", dir / "gateway.log",
                           {"--tls-cert", ours.cert, "--tls-key", ours.key});
    std::string by_name = "localhost:" + gateway.port();

    Handheld h;
    capture(h);
    auto wrong = h({"sync", "--gateway", by_name, "--ca", theirs.ca, "--retry-for", "0"});
    CHECK(wrong.code == 1);
    auto clear = h({"sync", "--gateway", gateway.address(), "--retry-for", "1"});
    // The gateway speaks only TLS: no hello gets through, and the agent
    // stops at once (exit 1, "looks like a TLS gateway ... --ca FILE")
    // instead of retrying what cannot work.
    CHECK(clear.code == 1);
    CHECK(store_scalar(db, "SELECT count(*) FROM records") == 0);
    CHECK(h.status_has("\"depth\":2"));

    auto right = h({"sync", "--gateway", by_name, "--ca", ours.ca});
    CHECK(right.code == 0);
    CHECK(store_scalar(db, "SELECT count(*) FROM records") == 2);
}

TEST_CASE("tls: the certificate must name the host the agent dialled") {
    TempDir dir;
    auto ca = make_test_ca(dir.path());
    GatewayProcess gateway(write_master_fixture(dir.path()), dir.store("gateway.db"), "127.0.0.1:0",
                           dir / "gateway.log", {"--tls-cert", ca.cert, "--tls-key", ca.key});
    Handheld h;
    capture(h);
    // The certificate names localhost and 127.0.0.1, not 127.0.0.2.
    auto other =
        h({"sync", "--gateway", "127.0.0.2:" + gateway.port(), "--ca", ca.ca, "--retry-for", "0"});
    CHECK(other.code != 0);
    CHECK(h({"sync", "--gateway", gateway.address(), "--ca", ca.ca}).code == 0);
}

TEST_CASE("tls: no clear text off loopback, on either side") {
    TempDir dir;
    std::string master = write_master_fixture(dir.path());
    auto refused = run({binary("fieldflow-gateway"), "--listen", "0.0.0.0:0", "--db",
                        dir.store("gateway.db"), "--master", master});
    CHECK(refused.code == 2);

    Handheld h;
    capture(h);
    auto agent = h({"sync", "--gateway", "192.0.2.10:7700", "--retry-for", "0"});
    CHECK(agent.code == 1);  // refused before any packet leaves the device
    CHECK(h.status_has("\"depth\":2"));
}

TEST_CASE("tls: the load generator's fleet uploads over TLS, and not with another CA") {
    TempDir dir;
    auto ours = make_test_ca(dir.path(), "ours");
    auto theirs = make_test_ca(dir.path(), "theirs");
    std::string master = write_master_fixture(dir.path()), db = dir.store("gateway.db");
    GatewayProcess gateway(master, db, "127.0.0.1:0", dir / "gateway.log",
                           {"--tls-cert", ours.cert, "--tls-key", ours.key});
    std::string by_name = "localhost:" + gateway.port();
    auto fleet = [&](const std::string& ca, const std::string& prefix) {
        return run({binary("fieldflow"), "loadgen", "--gateway", by_name, "--master", master,
                    "--agents", "4", "--records", "50", "--batch", "20", "--ca", ca, "--prefix",
                    prefix});
    };
    auto refused = fleet(theirs.ca, "x");
    CHECK(refused.code == 1);
    CHECK(store_scalar(db, "SELECT count(*) FROM records") == 0);
    auto out = fleet(ours.ca, "lg");
    INFO(out.out);
    CHECK(out.code == 0);
    CHECK(out.out.find("acked 200 of 200 exactly once: yes") != std::string::npos);
    CHECK(store_scalar(db, "SELECT count(*) FROM records") == 200);
}
