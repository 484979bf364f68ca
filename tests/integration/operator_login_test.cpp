// Operators' logins against a real gateway under load: a stop while
// passwords are being hashed, the lockouts, and the probes that must stay
// answered meanwhile.

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "support/gateway_process.h"
#include "support/http_client.h"
#include "support/master_fixture.h"
#include "support/process.h"

using namespace fieldflow::test;
using nlohmann::json;

namespace {

HttpReply login(const std::string& http, const std::string& name, const std::string& password) {
    return http_request(http, "POST", "/api/login",
                        json{{"name", name}, {"password", password}}.dump(),
                        {{"Content-Type", "application/json"}});
}

// A gateway with its console on loopback, reviewer zhang, and `extra` flags.
struct LoginGateway {
    explicit LoginGateway(std::vector<std::string> extra = {}) {
        REQUIRE(add_operator(db, "zhang", "reviewer", "correct horse") == 0);
        extra.insert(extra.begin(), {"--http", "127.0.0.1:0"});
        gateway.emplace(master, db, "127.0.0.1:0", log, extra);
    }
    TempDir dir;
    std::string db = dir.store("gateway.db");
    std::string master = write_master_fixture(dir.path());
    std::string log = dir / "gateway.log";
    std::optional<GatewayProcess> gateway;
    const std::string& http() const { return gateway->http_address(); }
};

// Wrong logins from `clients` parallel clients, `each` apiece, under names
// that differ so that no name's lockout cuts the hashing short.
std::vector<std::thread> hammer(const std::string& http, int clients, int each) {
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
        threads.emplace_back([http, c, each] {
            for (int i = 0; i < each; ++i) {
                try {
                    login(http, "guess" + std::to_string(c * each + i), "wrong password");
                } catch (const std::exception&) {
                    return;  // the gateway went away, as it should on a stop
                }
            }
        });
    return threads;
}

}  // namespace

TEST_CASE("operators' logins: SIGTERM while logins are hashed ends the gateway within seconds") {
    LoginGateway f;
    auto threads = hammer(f.http(), 6, 3);
    std::this_thread::sleep_for(std::chrono::seconds(2));
    f.gateway->process().signal(SIGTERM);
    auto code = f.gateway->process().wait(std::chrono::seconds(15));
    for (auto& t : threads) t.join();
    CHECK(code == std::optional<int>(0));
    // A stop must not leave a thread logging the same error over and over.
    CHECK(std::filesystem::file_size(f.log) < 64 * 1024);
}

TEST_CASE(
    "operators' logins: five wrong passwords lock the name out, the right one included, and "
    "no other name") {
    LoginGateway f;
    REQUIRE(add_operator(f.db, "li", "reviewer", "battery staple") == 0);
    for (int i = 0; i < 5; ++i) CHECK(login(f.http(), "zhang", "wrong password").status == 401);
    auto locked = login(f.http(), "zhang", "correct horse");
    CHECK(locked.status == 429);
    int retry = std::stoi(locked.header("Retry-After"));
    CHECK(retry > 800);
    CHECK(retry <= 900);
    CHECK(locked.body.find("too many failed logins") != std::string::npos);
    CHECK(login(f.http(), "li", "battery staple").status == 200);

    // The failures and the lockout are in the audit log, which still holds.
    CHECK(store_scalar(f.db,
                       "SELECT count(*) FROM audit_log WHERE action = 'login failed' AND "
                       "actor = 'zhang' AND detail = 'from 127.0.0.1'") == 5);
    CHECK(store_scalar(f.db,
                       "SELECT count(*) FROM audit_log WHERE action = 'login locked out' AND "
                       "actor = 'zhang'") == 1);
    CHECK(run({binary("fieldflow"), "audit", "verify", "--db", f.db}).code == 0);

    // And counted on /metrics.
    auto metrics = http_get(f.http(), "/metrics").body;
    CHECK(metrics.find("fieldflow_operator_logins_total{result=\"wrong\"} 5") != std::string::npos);
    CHECK(metrics.find("fieldflow_operator_logins_total{result=\"locked_out\"} 1") !=
          std::string::npos);
    CHECK(metrics.find("fieldflow_operator_logins_total{result=\"ok\"} 1") != std::string::npos);
    CHECK(metrics.find("fieldflow_operator_lockouts_total{by=\"name\"} 1") != std::string::npos);
}

TEST_CASE("operators' logins: one address that fails under many names is locked out") {
    LoginGateway f({"--login-address-failures", "3"});
    for (int i = 0; i < 3; ++i)
        CHECK(login(f.http(), "guess" + std::to_string(i), "wrong password").status == 401);
    auto locked = login(f.http(), "zhang", "correct horse");
    CHECK(locked.status == 429);
    CHECK(std::stoi(locked.header("Retry-After")) > 0);
    CHECK(http_get(f.http(), "/metrics")
              .body.find("fieldflow_operator_lockouts_total{by=\"address\"} 1") !=
          std::string::npos);
}

TEST_CASE("operators' logins: /healthz and /readyz are answered while logins are being hashed") {
    LoginGateway f;
    constexpr int logins = 12;
    std::atomic<int> finished = 0;
    std::vector<std::thread> threads;
    for (int i = 0; i < logins; ++i)
        threads.emplace_back([&, i] {
            try {
                login(f.http(), "guess" + std::to_string(i), "wrong password");
            } catch (const std::exception&) {
            }
            ++finished;
        });
    // Every login sent and waiting before the probes go.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto health = http_get(f.http(), "/healthz");
    auto ready = http_get(f.http(), "/readyz");
    int finished_by_then = finished;
    for (auto& t : threads) t.join();
    CHECK(health.status == 200);
    CHECK(ready.status == 200);
    // On one thread the probes would have queued behind all twelve hashes.
    CHECK(finished_by_then < logins);
}

TEST_CASE(
    "operators' http: a Host other than the listening address or an --http-host name gets "
    "421") {
    LoginGateway f({"--http-host", "console.example.org", "--http-host", "ops.example.org"});
    auto port = f.http().substr(f.http().rfind(':'));
    auto get = [&](const std::string& host) {
        return http_raw(f.http(),
                        "GET /healthz HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    };
    CHECK(get("127.0.0.1" + port).rfind("HTTP/1.1 200", 0) == 0);
    CHECK(get("127.0.0.1").rfind("HTTP/1.1 200", 0) == 0);
    CHECK(get("console.example.org").rfind("HTTP/1.1 200", 0) == 0);
    CHECK(get("OPS.example.org:8443").rfind("HTTP/1.1 200", 0) == 0);

    // A page elsewhere whose name was made to resolve to 127.0.0.1.
    auto rebound = get("attacker.example" + port);
    CHECK(rebound.rfind("HTTP/1.1 421", 0) == 0);
    CHECK(rebound.find("does not answer as attacker.example") != std::string::npos);
    CHECK(get("127.0.0.1:1").rfind("HTTP/1.1 421", 0) == 0);
    CHECK(get("localhost" + port).rfind("HTTP/1.1 421", 0) == 0);
}
