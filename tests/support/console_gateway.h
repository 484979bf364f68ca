#pragma once
// A real gateway with its operators' console on loopback, on a fresh store
// and the master fixture, for the integration tests that drive the console's
// JSON API as an operator would (support/operator_session.h). The suite's
// own fixture adds the operators it needs.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "support/gateway_process.h"
#include "support/http_client.h"
#include "support/master_fixture.h"
#include "support/operator_session.h"
#include "support/process.h"

namespace fieldflow::test {

struct ConsoleGateway {
    // `extra` is passed to the gateway after `--http 127.0.0.1:0`.
    explicit ConsoleGateway(std::vector<std::string> extra = {})
        : gateway{master, db, "127.0.0.1:0", dir / "gateway.log", with_http(std::move(extra))} {}

    TempDir dir;
    std::string db = dir.store("gateway.db");
    std::string master = write_master_fixture(dir.path());
    GatewayProcess gateway;

    const std::string& http() const { return gateway.http_address(); }
    Login login(const std::string& name, const std::string& password) const {
        return log_in(http(), name, password);
    }
    HttpReply post(const std::string& target, const nlohmann::json& body, const Login& who) const {
        return post_as(http(), target, body, who);
    }
    HttpReply get(const std::string& target, const Login& who) const {
        return get_as(http(), target, who);
    }

  private:
    static std::vector<std::string> with_http(std::vector<std::string> extra) {
        extra.insert(extra.begin(), {"--http", "127.0.0.1:0"});
        return extra;
    }
};

}  // namespace fieldflow::test
