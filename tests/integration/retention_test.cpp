// The end of a fix's retention at a real gateway (gateway/retention_job.h):
// started on a store with check-ins older than --location-retention-days,
// it drops their exact fixes by itself, keeps their distance to the store,
// leaves the audit chain verifying, and leaves no copy of the fix in the
// store's files.

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/geo.h"
#include "schemas/record_codec.h"
#include "store/sql.h"
#include "support/float64_bytes.h"
#include "support/gateway_process.h"
#include "support/master_fixture.h"
#include "support/operator_session.h"
#include "support/process.h"
#include "support/wire_client.h"

using namespace fieldflow;
using namespace fieldflow::test;
using nlohmann::json;

namespace {

constexpr std::int64_t a_day_ms = 86'400'000;
// Far from T1 (31.2304, 121.5060), so both check-ins are flagged.
constexpr double old_fix_lat = 31.3187123, old_fix_lon = 121.6099456;
constexpr double new_fix_lat = 31.3188765, new_fix_lon = 121.6101234;

std::vector<std::byte> check_in_captured(std::uint64_t seq, std::int64_t captured_at_ms, double lat,
                                         double lon) {
    return wire::encode_record(
        core::Record{"dev-001", seq, "R1", captured_at_ms, core::CheckIn{"T1", lat, lon, 5}});
}

// Every file of the SQLite store (the database, its write-ahead log).
std::string store_files(const std::string& db) {
    std::string all;
    for (const auto& suffix : {"", "-wal", "-journal"}) {
        std::ifstream in(db + suffix, std::ios::binary);
        all.append(std::istreambuf_iterator<char>(in), {});
    }
    return all;
}

}  // namespace

TEST_CASE("retention: a gateway drops fixes older than their days and the audit chain verifies") {
    TempDir dir;
    std::string db = dir.store("gateway.db");
    std::string master = write_master_fixture(dir.path());
    std::int64_t now = core::unix_now_ms();
    {
        GatewayProcess keeping(master, db, "127.0.0.1:0", dir / "keeping.log");
        WireClient client(keeping.address());
        REQUIRE(client.handshake("dev-001"));
        client.batch({check_in_captured(1, now - 40 * a_day_ms, old_fix_lat, old_fix_lon),
                      check_in_captured(2, now - 3'600'000, new_fix_lat, new_fix_lon)});
        auto ack = client.receive();
        REQUIRE(ack.has_value());
        REQUIRE(ack->isAck());
        REQUIRE(ack->getAck().getResults().size() == 2);
        keeping.process().signal(SIGTERM);
        REQUIRE(keeping.process().wait() == 0);
    }
    bool sqlite = !store::sql::is_postgresql(db);
    if (sqlite) REQUIRE(store_files(db).find(float64_bytes(old_fix_lat)) != std::string::npos);
    REQUIRE(add_operator(db, "zhang", "reviewer", "correct horse") == 0);

    GatewayProcess gateway(master, db, "127.0.0.1:0", dir / "gateway.log",
                           {"--http", "127.0.0.1:0", "--location-retention-days", "30"});
    auto reviewer = log_in(gateway.http_address(), "zhang", "correct horse");
    // The job runs as the gateway starts, beside it.
    json queue;
    for (int tries = 0; tries < 100; ++tries) {
        auto reply = get_as(gateway.http_address(), "/api/review", reviewer);
        REQUIRE(reply.status == 200);
        queue = json::parse(reply.body);
        if (queue["records"].size() == 2 && queue["records"][1]["payload"].contains("fixDropped"))
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    INFO(queue.dump());
    REQUIRE(queue["records"].size() == 2);
    // Newest first: the recent check-in keeps its fix, the old one its distance.
    const json& recent = queue["records"][0]["payload"];
    const json& old = queue["records"][1]["payload"];
    CHECK_FALSE(recent.contains("fixDropped"));
    CHECK(old["fixDropped"] == true);
    CHECK(old["distanceM"] ==
          std::lround(core::distance_m(31.2304, 121.5060, old_fix_lat, old_fix_lon)));

    // Opened by a reviewer, the old check-in has no position, only its distance.
    auto id = std::to_string(queue["records"][1]["id"].get<std::int64_t>());
    auto map = get_as(gateway.http_address(), "/api/review/" + id + "/map", reviewer);
    REQUIRE(map.status == 200);
    auto drawn = json::parse(map.body);
    CHECK(drawn["fix"].is_null());
    CHECK(drawn["fix_dropped"] == true);
    CHECK(drawn["distance_m"] == old["distanceM"]);
    auto recent_id = std::to_string(queue["records"][0]["id"].get<std::int64_t>());
    auto kept = get_as(gateway.http_address(), "/api/review/" + recent_id + "/map", reviewer);
    CHECK(json::parse(kept.body)["fix"]["lat"] == doctest::Approx(new_fix_lat));

    auto verify = run({binary("fieldflow"), "audit", "verify", "--db", db});
    INFO(verify.out);
    CHECK(verify.code == 0);
    auto list = run({binary("fieldflow"), "audit", "list", "--db", db});
    CHECK(list.out.find(",gateway,fixes dropped,fix_redactions,0,1,fixes of check-ins captured "
                        "before ") != std::string::npos);

    // Not a byte of the old fix is left in the store's files; the recent
    // one's are, which shows the search would find them.
    if (sqlite) {
        auto files = store_files(db);
        CHECK(files.find(float64_bytes(old_fix_lat)) == std::string::npos);
        CHECK(files.find(float64_bytes(old_fix_lon)) == std::string::npos);
        CHECK(files.find(float64_bytes(new_fix_lat)) != std::string::npos);
    }
}
