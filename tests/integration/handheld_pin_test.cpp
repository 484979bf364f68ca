// The rep's PIN through serve's API, and in a real browser
// (tests/browser/handheld_pin.mjs): set on the page, the handheld locked and
// unlocked there, a check-in and a count after, delivered by the background
// sync; and the state folder holds the check-in's position only sealed.

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>

#include <utility>  // before Asio: Boost 1.74 with g++ 12 in C++20 needs it
#include <boost/asio.hpp>
#include <nlohmann/json.hpp>

#include "support/float64_bytes.h"
#include "support/gateway_process.h"
#include "support/handheld.h"
#include "support/http_client.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/scratch_store.h"

using namespace fieldflow::test;

namespace {

// Where handheld_pin.mjs stands the rep: 2 m from T1's centre, a latitude
// no master data holds.
constexpr double pin_test_fix_lat = 31.230417;

// A gateway with the master fixture and dev-001 enrolled as R1: serve's own
// sync brings the master data down; no plan.
struct PinRepApp {
    TempDir dir;
    std::string db = dir.store("gateway.db");
    GatewayProcess gateway{write_master_fixture(dir.path()), db, "127.0.0.1:0",
                           dir / "gateway.log"};
    Handheld h;

    PinRepApp() { REQUIRE(h({"init", "--device", "dev-001", "--rep", "R1"}).code == 0); }

    RunResult browse(const std::string& script, const std::string& extra) const {
        return run({"/bin/sh", "-c",
                    "node " + std::string(FIELDFLOW_SOURCE_DIR) + "/tests/browser/" + script + " " +
                        binary("fieldflow-agent") + " " + h.state + " " + gateway.address() + " " +
                        dir.path().string() + extra + " 2>&1"},
                   std::chrono::seconds(300));
    }

    long long delivered(const std::string& kind) const {
        return store_scalar(
            db, "SELECT count(*) FROM records WHERE device = 'dev-001' AND kind = '" + kind + "'");
    }
};

// Every file of the state folder (agent.db, its -wal, photos/), each with
// what of `needle` it holds.
std::string state_files_holding(const std::string& state, const std::string& needle) {
    std::string found;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(state))
        if (entry.is_regular_file() &&
            read_file(entry.path().string()).find(needle) != std::string::npos)
            found += entry.path().string() + "\n";
    return found;
}

// `serve` of handheld `h` with no gateway and no GPS, for its API alone.
struct PinServing {
    explicit PinServing(const Handheld& h)
        : process({binary("fieldflow-agent"), "--state", h.state, "serve", "--ui", "127.0.0.1:0"},
                  h.dir / "serve.log") {
        auto line = process.wait_for_line("serving the handheld's page at http://");
        REQUIRE(line);
        auto start = line->find("http://") + 7;
        address = line->substr(start, line->rfind('/') - start);
        token = nlohmann::json::parse(http_get(address, "/api/session").body)["token"];
    }
    // The status and the answer's JSON.
    std::pair<int, nlohmann::json> post(const std::string& target, const nlohmann::json& body,
                                        bool with_token = true) {
        HttpHeaders headers{{"Content-Type", "application/json"}};
        if (with_token) headers.push_back({"X-Fieldflow-Token", token});
        auto reply = http_request(address, "POST", target, body.dump(), headers);
        return {reply.status, nlohmann::json::parse(reply.body)};
    }
    std::pair<int, nlohmann::json> get(const std::string& target) {
        auto reply = http_get(address, target);
        return {reply.status, nlohmann::json::parse(reply.body)};
    }
    Process process;
    std::string address, token;
};

}  // namespace

TEST_CASE(
    "serve: the page's PIN routes set, change, lock and unlock it, count wrong PINs and "
    "lock them out, and a locked state tells nothing sealed" *
    doctest::test_suite("no gateway store")) {
    using nlohmann::json;
    Handheld h;
    REQUIRE(h({"init", "--device", "dev-001", "--rep", "R1"}).code == 0);
    PinServing serve(h);
    CHECK(serve.get("/api/state").second["lock"] ==
          json{{"status", "no_pin"}, {"failures", 0}, {"locked_until_ms", 0}});
    CHECK(serve.post("/api/lock", json::object()).second["error"] == "no_pin");
    CHECK(serve.post("/api/unlock", {{"pin", "246813"}}).second["error"] == "no_pin");

    // The rules, before any PIN is stretched; the token, as for every POST.
    auto [short_status, short_pin] = serve.post("/api/pin", {{"pin", "2468"}});
    CHECK(short_status == 400);
    CHECK(short_pin["field"] == "pin");
    CHECK(serve.post("/api/pin", {{"pin", "24681x"}}).second["field"] == "pin");
    CHECK(serve.post("/api/pin", {{"pin", "246813"}}, false).first == 403);
    auto [set_status, set] = serve.post("/api/pin", {{"pin", "246813"}});
    CHECK(set_status == 200);
    CHECK(set["changed"] == false);
    CHECK(set["lock"]["status"] == "unlocked");

    // A change needs the current PIN, and a wrong one is counted.
    CHECK(serve.post("/api/pin", {{"pin", "135790"}}).second["field"] == "current");
    auto [wrong_status, wrong] = serve.post("/api/pin", {{"pin", "135790"}, {"current", "000000"}});
    CHECK(wrong_status == 403);
    CHECK(wrong["error"] == "wrong_pin");
    CHECK(wrong["field"] == "current");
    CHECK(wrong["tries_left"] == 4);
    CHECK(serve.get("/api/state").second["lock"]["failures"] == 1);
    auto [change_status, changed] =
        serve.post("/api/pin", {{"pin", "135790"}, {"current", "246813"}});
    CHECK(change_status == 200);
    CHECK(changed["changed"] == true);
    CHECK(changed["lock"]["failures"] == 0);

    // A visit opened beside serve (the key is held for both), then locked.
    REQUIRE(h(check_in_t1).code == 0);
    CHECK(serve.get("/api/state").second["visit"]["terminal"] == "T1");
    auto [lock_status, locked] = serve.post("/api/lock", json::object());
    CHECK(lock_status == 200);
    CHECK(locked["lock"]["status"] == "locked");
    auto [state_status, state] = serve.get("/api/state");
    CHECK(state_status == 200);
    CHECK(state["visit"].is_null());
    CHECK(state["records_waiting"] == 1);
    CHECK(serve.get("/api/today").first == 423);
    CHECK(serve.get("/api/visit").second["error"] == "locked");
    CHECK(serve.post("/api/count", {{"product", "P1"}, {"quantity", 5}}).first == 423);

    // Five wrong PINs: the tries left, then a lockout no right PIN passes.
    for (int left = 4; left >= 1; --left) {
        auto [status, answer] = serve.post("/api/unlock", {{"pin", "246813"}});
        CHECK(status == 403);
        CHECK(answer["tries_left"] == left);
        CHECK(answer["locked_until_ms"] == 0);
        CHECK(answer["message"] == "PIN 错误，还可尝试 " + std::to_string(left) + " 次");
    }
    auto [fifth_status, fifth] = serve.post("/api/unlock", {{"pin", "246813"}});
    CHECK(fifth_status == 403);
    CHECK(fifth["tries_left"] == 0);
    std::int64_t until = fifth["locked_until_ms"];
    CHECK(until > 0);
    auto [out_status, out] = serve.post("/api/unlock", {{"pin", "135790"}});
    CHECK(out_status == 429);
    CHECK(out["error"] == "locked_out");
    CHECK(out["until_ms"] == until);
    CHECK(out["message"].get<std::string>().find("不会删除任何数据") != std::string::npos);
    CHECK(serve.get("/api/state").second["lock"] ==
          json{{"status", "locked"}, {"failures", 5}, {"locked_until_ms", until}});
}

// Argon2id runs on a thread of serve's own (agent/pin_worker.h): told by
// the order of the answers, not by how long anything took.
TEST_CASE("serve: a PIN being checked holds up none of the page's other requests" *
          doctest::test_suite("no gateway store")) {
    using nlohmann::json;
    namespace net = boost::asio;
    Handheld h;
    REQUIRE(h({"init", "--device", "dev-001", "--rep", "R1"}).code == 0);
    PinServing serve(h);
    REQUIRE(serve.post("/api/pin", {{"pin", "246813"}}).first == 200);
    REQUIRE(serve.post("/api/lock", json::object()).first == 200);

    // The unlock, sent whole on a connection of its own; its answer is read later.
    net::io_context io;
    net::ip::tcp::socket unlocking(io);
    auto colon = serve.address.rfind(':');
    unlocking.connect({net::ip::make_address(serve.address.substr(0, colon)),
                       static_cast<unsigned short>(std::stoi(serve.address.substr(colon + 1)))});
    std::string body = R"({"pin":"246813"})";
    net::write(unlocking,
               net::buffer("POST /api/unlock HTTP/1.1\r\nHost: " + serve.address +
                           "\r\nX-Fieldflow-Token: " + serve.token +
                           "\r\nContent-Type: application/json\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body));

    // Each of the page's reads is answered while the PIN is checked: when
    // its answer is in, nothing of the unlock's has come. On the io thread,
    // the unlock's answer would have been written before any of them.
    for (int read = 0; read < 3; ++read) {
        auto [status, state] = serve.get("/api/state");
        CHECK(status == 200);
        CHECK(state["records_waiting"] == 0);
        CHECK(unlocking.available() == 0);
    }

    std::string answer;
    boost::system::error_code ec;
    net::read(unlocking, net::dynamic_buffer(answer), ec);
    CHECK(ec == net::error::eof);
    INFO(answer);
    CHECK(answer.starts_with("HTTP/1.1 200"));
    CHECK(answer.find(R"("status":"unlocked")") != std::string::npos);
    CHECK(serve.get("/api/state").second["lock"]["status"] == "unlocked");
}

TEST_CASE(
    "browser: the rep sets a PIN, locks and unlocks the handheld on its page, and the "
    "check-in's position is on the flash only sealed" *
    doctest::test_suite("no gateway store")) {
    PinRepApp app;
    const char* shots = std::getenv("FIELDFLOW_SCREENSHOTS");
    auto browser = app.browse("handheld_pin.mjs", shots ? " '" + std::string(shots) + "'" : "");
    INFO(browser.out);
    INFO(read_file(app.dir / "serve.log"));
    CHECK(browser.code == 0);
    CHECK(browser.out.find("fix at 31.230417\n") != std::string::npos);
    CHECK(browser.out.find("no PIN: 数据未设 PIN 保护") != std::string::npos);
    CHECK(browser.out.find("a mismatch: 两次输入的 PIN 不一致") != std::string::npos);
    CHECK(browser.out.find("set: PIN 已设置") != std::string::npos);
    CHECK(browser.out.find("wrong PIN: PIN 错误，还可尝试 4 次") != std::string::npos);
    CHECK(browser.out.find("the check-in sent while locked went through once unlocked") !=
          std::string::npos);
    CHECK(browser.out.find("the outbox emptied with no sync pressed") != std::string::npos);
    CHECK(browser.out.find("locked out: 输错次数过多，请于 ") != std::string::npos);

    CHECK(app.delivered("check_in") == 1);
    CHECK(app.delivered("stock_count") == 1);
    CHECK(app.delivered("check_out") == 1);
    CHECK(store_scalar(app.db, "SELECT count(*) FROM photos WHERE device = 'dev-001'") == 1);
    auto status = app.h.status_json();
    INFO(status);
    CHECK(status.find("\"lock\":\"locked\",\"pin_failures\":5") != std::string::npos);
    CHECK(status.find("\"depth\":0") != std::string::npos);

    // Neither as the record's Float64, nor as SQLite keeps a REAL
    // (big-endian), nor as text: in the folder as serve left it, and as it
    // stood in the middle of the visit, its WAL and kept photo with it.
    auto little = float64_bytes(pin_test_fix_lat);
    std::string big(little.rbegin(), little.rend());
    for (const auto& state : {app.h.state, app.dir / "state-while-serving"}) {
        INFO(state);
        REQUIRE(std::filesystem::is_regular_file(state + "/agent.db"));
        CHECK(state_files_holding(state, little) == "");
        CHECK(state_files_holding(state, big) == "");
        CHECK(state_files_holding(state, "31.23041") == "");
    }
}
