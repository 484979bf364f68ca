// Operators' logins against a real gateway under load: a stop while
// passwords are being hashed, the lockouts, and the probes that must stay
// answered meanwhile.

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

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

int add_operator(const std::string& db, const std::string& name, const std::string& password) {
    return run({"/bin/sh", "-c",
                "printf '%s\\n' '" + password + "' | " + binary("fieldflow") + " operator add " +
                    name + " --role reviewer --db " + db + " >/dev/null"})
        .code;
}

HttpReply login(const std::string& http, const std::string& name, const std::string& password) {
    return http_request(http, "POST", "/api/login",
                        json{{"name", name}, {"password", password}}.dump(),
                        {{"Content-Type", "application/json"}});
}

struct Fixture {
    explicit Fixture(std::vector<std::string> extra = {}) {
        REQUIRE(add_operator(db, "zhang", "correct horse") == 0);
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
    Fixture f;
    auto threads = hammer(f.http(), 6, 3);
    std::this_thread::sleep_for(std::chrono::seconds(2));
    f.gateway->process().signal(SIGTERM);
    auto code = f.gateway->process().wait(std::chrono::seconds(15));
    for (auto& t : threads) t.join();
    CHECK(code == std::optional<int>(0));
    // A stop must not leave a thread logging the same error over and over.
    CHECK(std::filesystem::file_size(f.log) < 64 * 1024);
}
