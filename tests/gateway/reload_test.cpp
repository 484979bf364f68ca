// What a SIGHUP may change in a running gateway (gateway/reload.h): the
// settings that shape what comes next change, the others are named as
// needing a restart and keep their running values.

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "gateway/options.h"
#include "gateway/parsed_options.h"
#include "gateway/reload.h"

using namespace fieldflow;

namespace {

gateway::Options options(const std::vector<std::string>& extra) {
    std::vector<std::string> args{"--listen", "127.0.0.1:7700", "--db", "g.db"};
    args.insert(args.end(), extra.begin(), extra.end());
    return test::parse_gateway_options(args).options();
}

bool has(const std::vector<std::string>& keys, const std::string& key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

}  // namespace

TEST_CASE("reload: limits, timeouts and the gateway id change live; the rest waits" *
          doctest::test_suite("no gateway store")) {
    auto live = options({"--max-connections", "10", "--idle-timeout", "30"});
    auto fresh = options({"--max-connections", "20", "--idle-timeout", "60", "--gateway-id", "gw-2",
                          "--durability", "normal", "--silent-hours", "48"});
    auto reload = gateway::apply_reload(live, fresh);

    CHECK(live.max_connections == 20);
    CHECK(live.idle_timeout_s == 60);
    CHECK(live.gateway_id == "gw-2");
    CHECK(has(reload.applied, "max-connections"));
    CHECK(has(reload.applied, "gateway-id"));

    CHECK(live.durability == store::Durability::full);
    CHECK(live.overview.silent_hours == 24);
    CHECK(has(reload.need_restart, "durability"));
    CHECK(has(reload.need_restart, "silent-hours"));
    CHECK(reload.applied.size() + reload.need_restart.size() == 5);
    // What did not change is not mentioned.
    CHECK(!has(reload.applied, "frame-timeout"));
    CHECK(!has(reload.need_restart, "listen"));
}

TEST_CASE("reload: renewed TLS files change live, turning TLS on does not" *
          doctest::test_suite("no gateway store")) {
    auto live = options({"--tls-cert", "a.pem", "--tls-key", "a.key"});
    auto renewed =
        gateway::apply_reload(live, options({"--tls-cert", "b.pem", "--tls-key", "b.key"}));
    CHECK(live.tls_cert == "b.pem");
    CHECK(has(renewed.applied, "tls-cert"));

    auto plain = options({});
    auto switched =
        gateway::apply_reload(plain, options({"--tls-cert", "b.pem", "--tls-key", "b.key"}));
    CHECK(plain.tls_cert.empty());
    CHECK(has(switched.need_restart, "tls-cert"));
}
