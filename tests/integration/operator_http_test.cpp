// The operators' HTTP listener of a real gateway: the probes, the metrics
// as Prometheus reads them, and requests that break the rules.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "support/gateway_process.h"
#include "support/http_client.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/wire_client.h"

using namespace fieldflow::test;

namespace {

// A gateway with its operators' console on loopback.
struct OperatorHttpGateway {
    TempDir dir;
    std::string db = dir.store("gateway.db");
    GatewayProcess gateway{write_master_fixture(dir.path()),
                           db,
                           "127.0.0.1:0",
                           dir / "gateway.log",
                           {"--http", "127.0.0.1:0"}};
    const std::string& http() const { return gateway.http_address(); }
};

// The value of one series (`name{labels}` exactly as exposed), or -1 when
// the exposition has no such series.
double sample(const std::string& exposition, const std::string& series) {
    std::istringstream lines(exposition);
    for (std::string line; std::getline(lines, line);) {
        if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
            line[series.size()] == ' ')
            return std::stod(line.substr(series.size() + 1));
    }
    return -1;
}

std::string records_series(const std::string& kind, const std::string& verdict) {
    return "fieldflow_records_total{kind=\"" + kind + "\",verdict=\"" + verdict + "\"}";
}

// Runs promtool's own parser of the exposition format over `text`.
RunResult promtool_check(const TempDir& dir, const std::string& text) {
    std::string file = dir / "metrics.txt";
    {
        std::ofstream out(file);
        out << text;
    }
    return run({"/bin/sh", "-c", "promtool check metrics < " + file + " 2>&1"});
}

}  // namespace

TEST_CASE(
    "operators' http: /healthz and /readyz answer, and /readyz says why the store is "
    "unreadable") {
    OperatorHttpGateway f;
    REQUIRE_FALSE(f.http().empty());
    CHECK(http_get(f.http(), "/healthz").status == 200);
    auto ready = http_get(f.http(), "/readyz");
    CHECK(ready.status == 200);
    CHECK(ready.body == "ready\n");

    // The store cannot be reached: the gateway is alive, not ready.
    set_reachable(f.db, false);
    auto gone = http_get(f.http(), "/readyz");
    CHECK(gone.status == 503);
    CHECK(gone.body.find("cannot be read") != std::string::npos);
    CHECK(http_get(f.http(), "/healthz").status == 200);

    set_reachable(f.db, true);
    CHECK(http_get(f.http(), "/readyz").status == 200);
}

TEST_CASE("operators' http: /metrics counts what was committed, as promtool parses it") {
    OperatorHttpGateway f;
    WireClient device(f.gateway.address());
    device.hello("dev-001", "R1", fieldflow::wire::PROTOCOL_VERSION, {}, 5);
    REQUIRE(device.receive()->isWelcome());

    auto metrics = http_get(f.http(), "/metrics");
    CHECK(metrics.status == 200);
    CHECK(metrics.content_type == "text/plain; version=0.0.4");
    CHECK(sample(metrics.body, "fieldflow_connections_open") == 1);
    CHECK(sample(metrics.body, "fieldflow_device_outbox_records{device=\"dev-001\"}") == 5);
    CHECK(sample(metrics.body,
                 "fieldflow_device_info{agent_version=\"test\",device=\"dev-001\",rep=\"R1\"}") ==
          1);

    // In the geofence, far out of it (flagged), and a record with no payload (rejected).
    std::vector<std::vector<std::byte>> batch{
        check_in_record("dev-001", 1, "T1", 31.2304, 121.5060),
        check_in_record("dev-001", 2, "T1", 31.3000, 121.6000), unset_record("dev-001", 3)};
    device.batch(batch);
    auto ack = device.receive();
    REQUIRE(ack);
    REQUIRE(ack->isAck());
    auto results = ack->getAck().getResults();
    REQUIRE(results.size() == 3);
    CHECK(results[0].getVerdict() == fieldflow::wire::Verdict::ACCEPTED);
    CHECK(results[1].getVerdict() == fieldflow::wire::Verdict::FLAGGED);
    CHECK(results[2].getVerdict() == fieldflow::wire::Verdict::REJECTED);
    std::string flagged_reason = results[1].getReasons()[0].getCode();

    // The same batch again is acked as duplicates and counted as such, not as records.
    device.batch(batch);
    REQUIRE(device.receive()->isAck());

    metrics = http_get(f.http(), "/metrics");
    CHECK(sample(metrics.body, records_series("check_in", "accepted")) == 1);
    CHECK(sample(metrics.body, records_series("check_in", "flagged")) == 1);
    CHECK(sample(metrics.body, "fieldflow_record_reasons_total{kind=\"check_in\",reason=\"" +
                                   flagged_reason + "\"}") == 1);
    CHECK(sample(metrics.body, records_series("unsupported", "rejected")) == 1);
    CHECK(sample(metrics.body, "fieldflow_records_duplicate_total") == 3);
    CHECK(sample(metrics.body, "fieldflow_commit_batch_records_count") == 2);
    CHECK(sample(metrics.body, "fieldflow_commit_batch_records_sum") == 6);
    // An ack's latency is counted once its write completed, which may be
    // just after the device read it.
    for (int i = 0; i < 100 && sample(metrics.body, "fieldflow_ack_seconds_count") < 2; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        metrics = http_get(f.http(), "/metrics");
    }
    CHECK(sample(metrics.body, "fieldflow_ack_seconds_count") == 2);
    CHECK(sample(metrics.body, "fieldflow_received_frames_total") == 3);  // hello, two batches
    CHECK(sample(metrics.body, "fieldflow_received_bytes_total") > 0);
    // Five were queued at the hello, six acked since (three of them again): none left.
    CHECK(sample(metrics.body, "fieldflow_device_outbox_records{device=\"dev-001\"}") == 0);
    CHECK(sample(metrics.body, "fieldflow_device_last_seen_seconds{device=\"dev-001\"}") > 1.7e9);

    auto check = promtool_check(f.dir, metrics.body);
    INFO(check.out);
    CHECK(check.code == 0);

    // One segment of two words announced, then two words of noise.
    const unsigned char garbage[24] = {0,    0,    0,    0,    2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,
                                       0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5,    6,    7,    8};
    device.send_bytes(garbage, sizeof garbage);
    auto error = device.receive();
    REQUIRE(error);
    CHECK(error->isError());
    CHECK(device.closed());
    metrics = http_get(f.http(), "/metrics");
    CHECK(sample(metrics.body, "fieldflow_connection_errors_total{code=\"malformed_frame\"}") == 1);
    CHECK(sample(metrics.body, "fieldflow_connections_open") == 0);
    CHECK(sample(metrics.body, "fieldflow_connections_total") == 1);
}

TEST_CASE("operators' http: a device seen before a restart is still on /metrics") {
    TempDir dir;
    std::string db = dir.store("gateway.db"), master = write_master_fixture(dir.path());
    {
        GatewayProcess gateway(master, db, "127.0.0.1:0", dir / "first.log");
        WireClient device(gateway.address());
        device.hello("dev-002", "R2", fieldflow::wire::PROTOCOL_VERSION, {}, 12);
        REQUIRE(device.receive()->isWelcome());
    }
    GatewayProcess gateway(master, db, "127.0.0.1:0", dir / "second.log",
                           {"--http", "127.0.0.1:0"});
    auto metrics = http_get(gateway.http_address(), "/metrics").body;
    CHECK(sample(metrics, "fieldflow_device_outbox_records{device=\"dev-002\"}") == 12);
}

TEST_CASE("operators' http: requests out of bounds get their status and cost the agents nothing") {
    OperatorHttpGateway f;
    CHECK(http_get(f.http(), "/no-such-page").status == 404);
    CHECK(http_request(f.http(), "POST", "/metrics", "x").status == 405);
    CHECK(http_request(f.http(), "POST", "/metrics", std::string(100 * 1024, 'x')).status == 413);
    auto huge_header = http_raw(f.http(), "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " +
                                              std::string(20 * 1024, 'a') + "\r\n\r\n");
    CHECK(huge_header.rfind("HTTP/1.1 431", 0) == 0);
    CHECK(http_raw(f.http(), "NONSENSE\r\n\r\n").rfind("HTTP/1.1 400", 0) == 0);

    WireClient device(f.gateway.address());
    REQUIRE(device.handshake("dev-001"));
    device.batch({check_in_record("dev-001", 1, "T1", 31.2304, 121.5060)});
    auto ack = device.receive();
    REQUIRE(ack);
    CHECK(ack->isAck());
    CHECK(http_get(f.http(), "/healthz").status == 200);
}

TEST_CASE("operators' http: it listens on loopback only") {
    TempDir dir;
    auto master = write_master_fixture(dir.path());
    CHECK(run({binary("fieldflow-gateway"), "--listen", "127.0.0.1:0", "--db", dir.store("g.db"),
               "--master", master, "--auth", "open", "--http", "0.0.0.0:7780"})
              .code == 2);
}
