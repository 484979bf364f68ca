// A handheld whose battery is pulled at any moment: the agent is killed with
// SIGKILL at random points while it captures and while it syncs, over and
// over, until 200 runs were killed mid-way. After every kill its database must be intact; at the
// end every record it ever numbered must be at the gateway, once.

#include <doctest/doctest.h>

#include <algorithm>

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <csignal>
#include <random>
#include <regex>
#include <set>
#include <thread>

#include "support/gateway_process.h"
#include "support/handheld.h"
#include "support/master_fixture.h"
#include "support/process.h"

using namespace fieldflow::test;

namespace {

std::string integrity(const std::string& agent_db) {
    SQLite::Database db(agent_db, SQLite::OPEN_READONLY);
    return db.execAndGet("PRAGMA integrity_check").getString();
}

long long next_seq(const Handheld& h) {
    static const std::regex next(R"("next_seq":(\d+))");
    std::smatch m;
    auto json = h.status_json();
    REQUIRE(std::regex_search(json, m, next));
    return std::stoll(m[1]);
}

}  // namespace

// About the handheld's own store; what a killed gateway keeps is the
// end-to-end suite's, which runs on both stores.
TEST_CASE("power loss: 200 kills during capture and sync lose nothing and store nothing twice" *
          doctest::test_suite("no gateway store")) {
    TempDir dir;
    auto master = write_master_fixture(dir.path());
    const std::string db = dir.store("gateway.db");
    GatewayProcess gateway(master, db, "127.0.0.1:0", dir / "gateway.log");
    Handheld h;
    REQUIRE(h({"init", "--device", "dev-001", "--rep", "R1"}).code == 0);
    REQUIRE(h({"checkin", "--terminal", "T1", "--lat", "31.2304", "--lon", "121.5060", "--accuracy",
               "5"})
                .code == 0);

    // Kill points spread over a whole run: time captures first. The median
    // of five, because the first run on a fresh machine can be several times
    // slower than the rest, and a window that wide lets most runs finish.
    std::vector<long long> timings;
    for (int i = 0; i < 5; ++i) {
        auto started = std::chrono::steady_clock::now();
        REQUIRE(h({"count", "--product", "P1", "--qty", "1"}).code == 0);
        timings.push_back(std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::steady_clock::now() - started)
                              .count());
    }
    std::sort(timings.begin(), timings.end());
    // The kill windows follow what happens: narrower after a run that
    // finished first, wider after one that was killed, so that about half
    // die mid-way on a fast machine or a loaded one alike.
    double window_us[2] = {double(timings[timings.size() / 2]) * 3 / 2,
                           double(timings[timings.size() / 2]) * 3};

    std::mt19937 random(20261122);
    std::set<long long> reported_saved;
    static const std::regex saved(R"(record (\d+))");
    int kills = 0, trials = 0;
    // Until 200 runs were killed mid-way (runs that finish first are kept too).
    for (int trial = 0; kills < 200 && trial < 1000; ++trial, ++trials) {
        bool capture = random() % 3 != 0;
        std::vector<std::string> args{binary("fieldflow-agent"), "--state", h.state};
        if (capture) {
            args.insert(args.end(),
                        {"count", "--product", "P1", "--qty", std::to_string(trial % 9)});
        } else {
            args.insert(args.end(), {"sync", "--gateway", gateway.address(), "--batch", "3",
                                     "--retry-for", "0"});
        }
        Process agent(args, dir / "agent.log");
        double& window = window_us[capture ? 0 : 1];
        auto span = static_cast<unsigned>(window + 1);
        std::this_thread::sleep_for(std::chrono::microseconds(random() % span));
        agent.signal(SIGKILL);
        auto code = agent.wait();
        REQUIRE(code.has_value());
        bool killed = *code == 128 + SIGKILL;
        kills += killed;
        window = killed ? window * 1.125 : window * 0.75;
        // A capture counts as saved only if the agent said so before it died.
        auto out = agent.read_all(std::chrono::seconds(5));
        std::smatch m;
        if (capture && std::regex_search(out, m, saved)) reported_saved.insert(std::stoll(m[1]));
        INFO("trial ", trial);
        REQUIRE(integrity(h.state + "/agent.db") == "ok");
    }
    MESSAGE(kills << " of " << trials << " runs killed before they finished; "
                  << reported_saved.size() << " captures reported saved");
    CHECK(kills >= 200);
    CHECK_FALSE(reported_saved.empty());

    REQUIRE(h({"sync", "--gateway", gateway.address()}).code == 0);
    const long long numbered = next_seq(h) - 1;  // every seq the handheld ever handed out
    CHECK(store_scalar(db, "SELECT count(*) FROM records WHERE device = 'dev-001'") == numbered);
    CHECK(store_scalar(db, "SELECT count(DISTINCT seq) FROM records WHERE device = 'dev-001'") ==
          numbered);
    CHECK(store_scalar(db, "SELECT max(seq) FROM records WHERE device = 'dev-001'") == numbered);
    CHECK(store_scalar(db, "SELECT count(*) FROM quarantine") == 0);
    for (long long seq : reported_saved) {
        CAPTURE(seq);
        CHECK(store_scalar(db, "SELECT count(*) FROM records WHERE device = 'dev-001' AND seq = " +
                                   std::to_string(seq)) == 1);
    }
}
