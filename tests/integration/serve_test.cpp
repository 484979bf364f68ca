// `fieldflow-agent serve`, the real binary: the page's API over loopback, a
// fix from gpsd, codes from the scan engine's FIFO, the sync in the
// background, and what a signal does to what was saved.

#include <doctest/doctest.h>
#include <signal.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <thread>
#include <utility>
#include <boost/asio.hpp>
#include <nlohmann/json.hpp>

#include "support/gateway_process.h"
#include "support/handheld.h"
#include "support/http_client.h"
#include "support/master_fixture.h"
#include "support/nmea_sentence.h"
#include "support/process.h"
#include "support/scratch_store.h"

using namespace fieldflow::test;
using nlohmann::json;
namespace asio = boost::asio;

namespace {

// A gpsd that reports a 3D fix (±6 m) five times a second to its client
// until stopped: at T1 of the master fixture (31.2304 N, 121.5060 E), or
// as far north of it as the test moves it.
class FakeGpsd {
  public:
    FakeGpsd() : acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
        thread_ = std::thread([this] { serve(); });
    }
    ~FakeGpsd() {
        stop_ = true;
        boost::system::error_code ignored;
        acceptor_.close(ignored);
        thread_.join();
    }
    // Metres north of T1 (about 111 km a degree).
    void move_north(double metres) { lat_ = 31.2304 + metres / 111'195.0; }
    std::string address() const {
        return "127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
    }

  private:
    void serve() {
        boost::system::error_code ec;
        auto socket = acceptor_.accept(ec);
        if (ec) return;
        asio::write(socket,
                    asio::buffer(std::string(R"({"class":"VERSION","release":"3.22"})"
                                             "\n")),
                    ec);
        asio::streambuf request;
        asio::read_until(socket, request, '\n', ec);  // ?WATCH={...};
        while (!stop_ && !ec) {
            auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
            char stamp[32];
            std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
            std::string report =
                std::string(R"({"class":"TPV","device":"/dev/ttyS1","mode":3,"time":")") + stamp +
                R"(","lat":)" + std::to_string(lat_.load()) + R"(,"lon":121.506,"eph":6.0})" + "\n";
            asio::write(socket, asio::buffer(report), ec);
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    }

    asio::io_context io_;
    asio::ip::tcp::acceptor acceptor_;
    std::atomic<bool> stop_ = false;
    std::atomic<double> lat_ = 31.2304;
    std::thread thread_;
};

// A running `serve` of handheld `h`, its page's address and token.
struct Serving {
    Serving(const Handheld& h, std::vector<std::string> extra, const std::string& log)
        : process(argv(h, std::move(extra)), log) {
        auto line = process.wait_for_line("serving the handheld's page at http://");
        REQUIRE(line);
        auto start = line->find("http://") + 7;
        address = line->substr(start, line->rfind('/') - start);
        token = json::parse(http_get(address, "/api/session").body)["token"];
    }
    static std::vector<std::string> argv(const Handheld& h, std::vector<std::string> extra) {
        std::vector<std::string> all{
            binary("fieldflow-agent"), "--state", h.state, "serve", "--ui", "127.0.0.1:0"};
        all.insert(all.end(), extra.begin(), extra.end());
        return all;
    }
    HttpReply post(const std::string& target, const json& body = json::object()) {
        return http_request(address, "POST", target, body.dump(),
                            {{"X-Fieldflow-Token", token}, {"Content-Type", "application/json"}});
    }
    json get(const std::string& target) { return json::parse(http_get(address, target).body); }
    // Polls `target` until `done` holds of its JSON, for a generous while.
    bool until(const std::string& target, const std::function<bool(const json&)>& done) {
        for (int i = 0; i < 300; ++i) {
            if (done(get(target))) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return false;
    }
    Process process;
    std::string address, token;
};

std::int64_t depth(const Handheld& h) {
    return json::parse(h.status_json())["depth"];
}

// A recording of one fix at terminal T1 of the master fixture, as
// --gps-replay reads it: whole at start, its last fix kept.
std::string fix_at_t1(const TempDir& dir) {
    std::string replay = dir / "fix.nmea";
    std::ofstream nmea(replay);
    nmea << nmea_sentence("GNRMC,031500.00,A,3113.8240,N,12130.3600,E,0.0,0.0,221126,,,A", "\r\n")
         << nmea_sentence("GNGGA,031500.00,3113.8240,N,12130.3600,E,1,11,0.9,12.0,M,8.0,M,,",
                          "\r\n");
    return replay;
}

}  // namespace

TEST_CASE("serve: refuses a --ui address that is not loopback, saying so") {
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    Process serve({binary("fieldflow-agent"), "--state", h.state, "serve", "--ui", "0.0.0.0:0"},
                  h.dir / "serve.log");
    CHECK(serve.wait() == 1);
    auto said = read_file(h.dir / "serve.log");
    INFO(said);
    CHECK(said.find("--ui 0.0.0.0 is not a loopback address") != std::string::npos);
}

TEST_CASE("serve: its settings come from the config file the service names, flags first") {
    TempDir dir;
    auto master = write_master_fixture(dir.path());
    GatewayProcess gateway(master, dir.store("gateway.db"), "127.0.0.1:0", dir / "gateway.log");
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    REQUIRE(h({"checkin", "--terminal", "T1", "--lat", "31.2304", "--lon", "121.506", "--accuracy",
               "8"})
                .code == 0);

    // A mistake is named by line and key, before the handheld is touched.
    auto check = [&](const std::string& name, const std::string& text) {
        std::ofstream(dir / name) << text;
        Process checked({binary("fieldflow-agent"), "serve", "--check-config", dir / name},
                        dir / (name + ".log"));
        auto code = checked.wait();
        return std::make_pair(code, read_file(dir / (name + ".log")) + checked.read_all());
    };
    auto [range_code, range_said] = check("range.toml", "ui = \"127.0.0.1:0\"\nsync-every = 0\n");
    CHECK(range_code == 1);
    CHECK(range_said.find("range.toml line 2, key sync-every") != std::string::npos);
    auto [unknown_code, unknown_said] = check("unknown.toml", "gatway = \"127.0.0.1:1\"\n");
    CHECK(unknown_code == 1);
    CHECK(unknown_said.find("unknown.toml line 1: unknown key \"gatway\"") != std::string::npos);
    CHECK(unknown_said.find("fieldflow-agent serve --help") != std::string::npos);

    // The file's gateway and period are the ones serve syncs with; its UI
    // port is overridden by Serving's --ui flag.
    auto config = dir / "agent.toml";
    std::ofstream(config) << "ui = \"127.0.0.1:1\"\ngateway = \"" << gateway.address()
                          << "\"\nsync-every = 1\nlog-level = \"debug\"\n";
    auto [valid_code, valid_said] = check("agent.toml", read_file(config));
    CHECK(valid_code == 0);
    CHECK(valid_said.find("agent.toml: valid") != std::string::npos);
    Serving serve(h, {"--config", config}, dir / "serve.log");
    CHECK(serve.address != "127.0.0.1:1");
    REQUIRE(serve.until("/api/state", [&](const json&) { return depth(h) == 0; }));
    CHECK(read_file(dir / "serve.log").find(" debug ") != std::string::npos);
}

TEST_CASE("serve: a capture sent from 结果 corrects the record it names, and only that one") {
    TempDir dir;
    auto master = write_master_fixture(dir.path());
    auto db = dir.store("gateway.db");
    GatewayProcess gateway(master, db, "127.0.0.1:0", dir / "gateway.log");
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    h({"checkin", "--terminal", "T1", "--lat", "31.2304", "--lon", "121.5060", "--accuracy", "5"});
    h({"count", "--product", "P9", "--qty", "3"});  // record 2, which the gateway rejects
    Serving serve(h, {}, dir / "serve.log");

    // No record 9 yet: refused, naming the field, and nothing saved.
    auto ahead = serve.post("/api/count", {{"product", "P1"}, {"quantity", 3}, {"corrects", 9}});
    CHECK(ahead.status == 400);
    CHECK(json::parse(ahead.body)["field"] == "corrects");
    // A correction refused for another reason leaves no mark behind.
    CHECK(serve.post("/api/count", {{"quantity", 3}, {"corrects", 2}}).status == 400);
    auto plain = serve.post("/api/count", {{"product", "P1"}, {"quantity", 1}});
    REQUIRE(plain.status == 200);
    CHECK(json::parse(plain.body)["seq"] == 3);
    auto fixed = serve.post("/api/count", {{"product", "P1"}, {"quantity", 3}, {"corrects", 2}});
    REQUIRE(fixed.status == 200);
    CHECK(json::parse(fixed.body)["seq"] == 4);
    auto sale = serve.post("/api/report/sale", {{"product", "P1"}, {"qty", 2}, {"corrects", 3}});
    REQUIRE(sale.status == 200);
    auto shown = serve.get("/api/visit");
    INFO(shown.dump());
    CHECK(shown["counts"][1]["corrects"] == 2);
    CHECK(shown["reports"][0]["corrects"] == 3);

    REQUIRE(h({"sync", "--gateway", gateway.address()}).code == 0);
    auto listed = run({binary("fieldflow"), "records", "--db", db, "--kind", "stock_count"}).out;
    INFO(listed);
    CHECK(listed.find("\"seq\":3,") != std::string::npos);
    // Record 4 corrects record 2, which the gateway kept though it refused it.
    CHECK(store_scalar(db, "SELECT count(*) FROM records WHERE seq = 4 AND verdict = 'accepted'") ==
          1);
    std::size_t corrections = 0;
    for (auto at = listed.find("\"corrects\":2"); at != std::string::npos;
         at = listed.find("\"corrects\":2", at + 1))
        ++corrections;
    CHECK(corrections == 1);
}

TEST_CASE("serve: 结果 corrects a rejected count with no visit open, for the original's store") {
    TempDir dir;
    auto master = write_master_fixture(dir.path());
    auto db = dir.store("gateway.db");
    GatewayProcess gateway(master, db, "127.0.0.1:0", dir / "gateway.log");
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    h({"checkin", "--terminal", "T1", "--lat", "31.2304", "--lon", "121.5060", "--accuracy", "5"});
    h({"count", "--product", "P1", "--qty", "-3"});  // record 2, which the gateway rejects
    h({"checkout"});
    REQUIRE(h({"sync", "--gateway", gateway.address()}).code == 0);
    Serving serve(h, {}, dir / "serve.log");

    auto results = serve.get("/api/results")["results"];
    INFO(results.dump());
    auto rejected =
        std::find_if(results.begin(), results.end(), [](const json& r) { return r["seq"] == 2; });
    REQUIRE(rejected != results.end());
    CHECK((*rejected)["verdict"] == "rejected");
    CHECK((*rejected)["terminal"] == "T1");
    REQUIRE((*rejected)["reasons"].size() >= 1);
    CHECK((*rejected)["reasons"][0]["code"] == "negative_quantity");
    CHECK((*rejected)["reasons"][0]["detail"] == "qty -3 is negative");
    CHECK((*rejected)["reasons"][0]["detail_zh"] == "数量 -3 为负数");

    // No visit is open: a plain count is refused, a correction is made.
    auto plain = serve.post("/api/count", {{"product", "P1"}, {"quantity", 3}});
    CHECK(plain.status == 409);
    CHECK(json::parse(plain.body)["error"] == "no_visit");
    // A record whose store the handheld no longer holds (accepted, so
    // neither queued nor kept with a verdict) cannot be corrected here.
    std::uint64_t accepted = 1;
    for (const auto& r : results)
        if (r["seq"] == accepted) accepted = 3;
    auto unknown =
        serve.post("/api/count", {{"product", "P1"}, {"quantity", 3}, {"corrects", accepted}});
    CHECK(unknown.status == 409);
    CHECK(unknown.body.find("check in there") != std::string::npos);
    auto fixed = serve.post("/api/count", {{"product", "P1"}, {"quantity", 3}, {"corrects", 2}});
    REQUIRE(fixed.status == 200);
    CHECK(json::parse(fixed.body)["seq"] == 4);
    CHECK(serve.get("/api/state")["visit"].is_null());
    // The command line corrects it the same way.
    auto typed = h({"count", "--product", "P1", "--qty", "4", "--corrects", "2"});
    CHECK(typed.code == 0);

    REQUIRE(h({"sync", "--gateway", gateway.address()}).code == 0);
    // Judged by record 2's visit at T1: booked, not flagged for no check-in.
    CHECK(store_scalar(
              db, "SELECT count(*) FROM records WHERE seq IN (4, 5) AND verdict = 'accepted'") ==
          2);
    auto listed = run({binary("fieldflow"), "records", "--db", db, "--kind", "stock_count"}).out;
    INFO(listed);
    CHECK(listed.find("\"corrects\":2") != std::string::npos);
    CHECK(listed.find("\"corrects\":2") != listed.rfind("\"corrects\":2"));
}

TEST_CASE("serve: a visit from gpsd and the scan engine's FIFO reaches the gateway unasked") {
    TempDir dir;
    auto master = write_master_fixture(dir.path());
    GatewayProcess gateway(master, dir.store("gateway.db"), "127.0.0.1:0", dir / "gateway.log");
    FakeGpsd gpsd;
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    auto fifo = dir / "scanner";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    Serving serve(h,
                  {"--gateway", gateway.address(), "--gpsd", gpsd.address(), "--scanner", fifo,
                   "--sync-every", "1"},
                  dir / "serve.log");
    HttpEventStream events(serve.address, "/api/events", {});
    REQUIRE(events.status() == 200);
    // A code read before any check-in is not saved, and not lost silently.
    {
        int fd = ::open(fifo.c_str(), O_WRONLY);
        REQUIRE(fd >= 0);
        CHECK(::write(fd, "EARLY1\n", 7) == 7);
        ::close(fd);
    }
    REQUIRE(
        serve.until("/api/state", [](const json& s) { return s["unsaved_codes"].size() == 1; }));
    CHECK(serve.get("/api/state")["unsaved_codes"][0]["code"] == "EARLY1");
    // The background sync brings the master data down; gpsd the fix.
    REQUIRE(serve.until("/api/state", [](const json& s) {
        return s["master_version"].get<int>() > 0 && !s["fix"].is_null();
    }));

    // Today: T1, where the rep stands, is offered nearby (no plan held).
    auto today = serve.get("/api/today");
    INFO(today.dump());
    REQUIRE(today["nearby"].size() == 1);
    CHECK(today["nearby"][0]["terminal"] == "T1");
    CHECK(today["nearby"][0]["distance_m"].get<double>() < 5);
    CHECK(today["plan"].empty());

    // 600 m from T1, whose radius is 100 m: refused without a reason,
    // saved with one.
    gpsd.move_north(600);
    REQUIRE(serve.until("/api/state",
                        [](const json& s) { return s["fix"]["lat"].get<double>() > 31.2350; }));
    auto outside = serve.post("/api/checkin", {{"terminal", "T1"}});
    INFO(outside.body);
    CHECK(outside.status == 409);
    auto refused = json::parse(outside.body);
    CHECK(refused["error"] == "outside_geofence");
    CHECK(refused["distance_m"].get<double>() == doctest::Approx(600).epsilon(0.01));
    CHECK(refused["radius_m"].get<double>() == 100);
    CHECK(!refused["message"].get<std::string>().empty());
    auto with_reason = serve.post("/api/checkin", {{"terminal", "T1"}, {"reason", "店主约在门外"}});
    CHECK(with_reason.status == 200);
    CHECK(json::parse(with_reason.body)["inside"] == false);
    gpsd.move_north(0);
    REQUIRE(serve.until("/api/state",
                        [](const json& s) { return s["fix"]["lat"].get<double>() < 31.2310; }));
    auto inside = serve.post("/api/checkin", {{"terminal", "T1"}});
    CHECK(inside.status == 200);
    auto at_t1 = json::parse(inside.body);
    CHECK(at_t1["inside"] == true);
    CHECK(at_t1["distance_m"].get<double>() < 5);
    CHECK(serve.post("/api/checkin", {{"terminal", "T1"}, {"photo", "nope"}}).status == 400);

    // The scan engine writes a code and closes its end; then another.
    for (const auto* code : {"]d20106901234567892172812311012345\x1d"
                             "21SERIAL1",
                             "]d20106901234567892172812311012345\x1d"
                             "21SERIAL1"}) {
        int fd = ::open(fifo.c_str(), O_WRONLY);
        REQUIRE(fd >= 0);
        std::string line = std::string(code) + "\r\n";
        CHECK(::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()));
        ::close(fd);
    }
    REQUIRE(serve.until("/api/visit", [](const json& v) { return v["scans"].size() == 2; }));
    auto visit = serve.get("/api/visit");
    CHECK(visit["terminal"] == "T1");
    auto scan = visit["scans"][0];
    CHECK(scan["gtin"] == "06901234567892");
    CHECK(scan["lot"] == "12345");
    CHECK(scan["expiry"] == "2028-12-31");
    CHECK(scan["serial"] == "SERIAL1");
    CHECK(scan["product"] == "P1");
    CHECK(visit["scans"][1]["warnings"] == json::array({"serial_seen_today"}));
    // The page heard of the scan as soon as it was read.
    bool heard = false;
    for (int i = 0; i < 50 && !heard; ++i) {
        auto event = events.next(std::chrono::seconds(5));
        if (!event) break;
        heard = event->starts_with("event: scan\n") && event->find("SERIAL1") != std::string::npos;
    }
    CHECK(heard);

    auto typed = serve.post("/api/scan", {{"code", "6901234567892"}});
    CHECK(typed.status == 200);
    CHECK(json::parse(typed.body)["product"] == "P1");
    CHECK(serve.post("/api/count", {{"gtin", "6901234567892"}, {"quantity", 12}}).status == 200);
    auto bad = serve.post("/api/count", {{"product", "P1"}, {"quantity", "twelve"}});
    CHECK(bad.status == 400);
    CHECK(json::parse(bad.body)["field"] == "quantity");
    CHECK(serve.post("/api/report/sale", {{"product", "P1"}, {"qty", 3}}).status == 200);
    auto out = serve.post("/api/checkout");
    CHECK(out.status == 200);
    CHECK(json::parse(out.body)["duration_s"].get<int>() >= 0);
    CHECK(http_get(serve.address, "/api/visit").status == 404);

    // No sync command: the outbox empties by itself, and the CLI beside
    // serve reads it.
    std::int64_t left = -1;
    for (int i = 0; i < 300 && left != 0; ++i) {
        left = depth(h);
        if (left != 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(left == 0);
    auto status = json::parse(h.status_json());
    auto records = store_scalar(dir.store("gateway.db"),
                                "SELECT count(*) FROM records WHERE device = 'dev-001'");
    CHECK(records == status["next_seq"].get<std::int64_t>() - 1);
    CHECK(store_scalar(dir.store("gateway.db"),
                       "SELECT count(*) FROM records WHERE kind = 'scan'") == 3);
    CHECK(serve.until("/api/state", [](const json& s) {
        return s["online"] == true && s["records_waiting"] == 0 &&
               !s["last_delivered_ms"].is_null();
    }));

    serve.process.signal(SIGTERM);
    CHECK(serve.process.wait() == 0);
}

TEST_CASE("serve: what it answered as saved survives SIGTERM and SIGKILL and is delivered") {
    TempDir dir;
    auto master = write_master_fixture(dir.path());
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    std::string replay = fix_at_t1(dir);
    std::uint64_t saved = 0;
    {
        // No gateway: everything stays queued.
        Serving serve(h, {"--gps-replay", replay}, dir / "serve1.log");
        auto in = serve.post("/api/checkin", {{"terminal", "T1"}});
        INFO(in.body);
        REQUIRE(in.status == 200);
        saved = json::parse(in.body)["seq"];
        for (int i = 0; i < 3; ++i) {
            auto scan = serve.post("/api/scan", {{"code", "6901234567892"}});
            REQUIRE(scan.status == 200);
            saved = json::parse(scan.body)["seq"];
        }
        serve.process.signal(SIGTERM);
        CHECK(serve.process.wait() == 0);
    }
    CHECK(depth(h) == static_cast<std::int64_t>(saved));
    {
        Serving serve(h, {"--gps-replay", replay}, dir / "serve2.log");
        CHECK(serve.get("/api/state")["visit"]["terminal"] == "T1");
        auto count = serve.post("/api/count", {{"product", "P1"}, {"quantity", 4}});
        REQUIRE(count.status == 200);
        saved = json::parse(count.body)["seq"];
        serve.process.signal(SIGKILL);
        serve.process.wait();
    }
    CHECK(depth(h) == static_cast<std::int64_t>(saved));
    GatewayProcess gateway(master, dir.store("gateway.db"), "127.0.0.1:0", dir / "gateway.log");
    Serving serve(h, {"--gps-replay", replay, "--gateway", gateway.address()}, dir / "serve3.log");
    CHECK(serve.until("/api/state", [](const json& s) { return s["records_waiting"] == 0; }));
    CHECK(store_scalar(dir.store("gateway.db"),
                       "SELECT count(*) FROM records WHERE device = 'dev-001'") ==
          static_cast<std::int64_t>(saved));
    serve.process.signal(SIGTERM);
    CHECK(serve.process.wait() == 0);
}

TEST_CASE(
    "serve: a restart shows the open visit's scans, counts and reports as before, delivered or "
    "not") {
    TempDir dir;
    auto master = write_master_fixture(dir.path());
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    std::string replay = fix_at_t1(dir);
    const std::string pack =
        "]d20106901234567892172812311012345\x1d"
        "21SERIAL1";
    json before;
    {
        // No gateway: the records stay queued.
        Serving serve(h, {"--gps-replay", replay}, dir / "serve1.log");
        REQUIRE(serve.post("/api/checkin", {{"terminal", "T1"}}).status == 200);
        REQUIRE(serve.post("/api/scan", {{"code", pack}}).status == 200);
        REQUIRE(serve.post("/api/scan", {{"code", "6901234567892"}}).status == 200);
        REQUIRE(serve.post("/api/count", {{"product", "P1"}, {"quantity", 7}, {"lot", "LOT42"}})
                    .status == 200);
        REQUIRE(serve.post("/api/report/sale", {{"product", "P1"}, {"qty", 3}}).status == 200);
        // Refused captures list nothing.
        CHECK(serve.post("/api/count", {{"product", "P1"}, {"quantity", "seven"}}).status == 400);
        CHECK(serve.post("/api/scan", {{"code", "1234\n5678"}}).status == 400);
        before = serve.get("/api/visit");
        serve.process.signal(SIGKILL);
        serve.process.wait();
    }
    INFO(before.dump());
    REQUIRE(before["scans"].size() == 2);
    REQUIRE(before["counts"].size() == 1);
    REQUIRE(before["reports"].size() == 1);
    CHECK(before["scans"][0]["lot"] == "12345");
    CHECK(before["scans"][0]["serial"] == "SERIAL1");
    CHECK(before["counts"][0]["lot"] == "LOT42");
    CHECK(before["reports"][0]["kind"] == "sale");

    // Started again with a gateway, which acks every record: they leave
    // the outbox, and the visit's lists stay as they were shown.
    GatewayProcess gateway(master, dir.store("gateway.db"), "127.0.0.1:0", dir / "gateway.log");
    Serving serve(h, {"--gps-replay", replay, "--gateway", gateway.address()}, dir / "serve2.log");
    REQUIRE(serve.until("/api/state", [](const json& s) { return s["records_waiting"] == 0; }));
    CHECK(depth(h) == 0);
    auto after = serve.get("/api/visit");
    INFO(after.dump());
    CHECK(after["seq"] == before["seq"]);
    CHECK(after["scans"] == before["scans"]);
    CHECK(after["counts"] == before["counts"]);
    CHECK(after["reports"] == before["reports"]);
    // The pack scanned before the restart is known to have been scanned today.
    auto again = serve.post("/api/scan", {{"code", pack}});
    REQUIRE(again.status == 200);
    auto warned = json::parse(again.body)["warnings"];
    CHECK(std::find(warned.begin(), warned.end(), "serial_seen_today") != warned.end());
    CHECK(serve.get("/api/visit")["scans"].size() == 3);

    // Check-out ends the lists; the next visit starts empty.
    REQUIRE(serve.post("/api/checkout").status == 200);
    REQUIRE(serve.post("/api/checkin", {{"terminal", "T1"}}).status == 200);
    auto next = serve.get("/api/visit");
    CHECK(next["scans"].empty());
    CHECK(next["counts"].empty());
    CHECK(next["reports"].empty());
    serve.process.signal(SIGTERM);
    CHECK(serve.process.wait() == 0);
}

TEST_CASE("serve: without --gateway it syncs with the gateway init remembered") {
    TempDir dir;
    auto master = write_master_fixture(dir.path());
    GatewayProcess gateway(master, dir.store("gateway.db"), "127.0.0.1:0", dir / "gateway.log");
    Handheld h;
    REQUIRE(
        h({"init", "--device", "dev-001", "--rep", "R1", "--gateway", gateway.address()}).code ==
        0);
    std::string replay = fix_at_t1(dir);
    Serving serve(h, {"--gps-replay", replay}, dir / "serve.log");
    REQUIRE(serve.post("/api/checkin", {{"terminal", "T1"}}).status == 200);
    CHECK(serve.until("/api/state", [](const json& s) { return s["records_waiting"] == 0; }));
    CHECK(store_scalar(dir.store("gateway.db"),
                       "SELECT count(*) FROM records WHERE device = 'dev-001'") == 1);
    serve.process.signal(SIGTERM);
    CHECK(serve.process.wait() == 0);
}

TEST_CASE(
    "serve: a commercial rep's GBK file is checked by line before anything is queued, and its "
    "good rows reach the gateway") {
    TempDir dir;
    auto master = write_master_fixture(dir.path());
    auto db = dir.store("gateway.db");
    GatewayProcess gateway(master, db, "127.0.0.1:0", dir / "gateway.log");
    Handheld h;
    REQUIRE(
        h({"init", "--device", "dev-006", "--rep", "R3", "--gateway", gateway.address()}).code ==
        0);
    // As a distributor's Windows export writes it: GBK, a Chinese lot, and
    // line 3's date that is no date.
    std::ofstream(dir / "flows-utf8.csv") << "flow_id,date,seller_id,buyer_id,product_id,lot,qty\n"
                                             "F1,2026-12-01,D1,T1,P1,批A1,12\n"
                                             "F2,2026-13-01,D1,T2,P1,L1,5\n"
                                             "F3,2026-12-02,D1,T2,P1,L1,-2\n";
    REQUIRE(run({"/bin/sh", "-c",
                 "iconv -f UTF-8 -t GBK " + (dir / "flows-utf8.csv") + " > " + (dir / "flows.csv")})
                .code == 0);
    std::string gbk = read_file(dir / "flows.csv");
    Serving serve(h, {}, dir / "serve.log");
    auto post_file = [&](const std::string& target, const std::string& token) {
        return http_request(serve.address, "POST", target, gbk,
                            {{"X-Fieldflow-Token", token}, {"Content-Type", "text/csv"}});
    };
    // R3's role comes down with the master data, on serve's first sync.
    REQUIRE(serve.until("/api/state", [](const json& s) { return s["rep_role"] == "commercial"; }));

    auto checked =
        post_file("/api/upload/check?kind=flows&encoding=auto&name=flows.csv", serve.token);
    REQUIRE(checked.status == 200);
    auto check = json::parse(checked.body);
    INFO(check.dump());
    CHECK(check["encoding"] == "gbk");
    CHECK(check["rows"] == 2);
    REQUIRE(check["bad"].size() == 1);
    CHECK(check["bad"][0]["line"] == 3);
    CHECK(check["bad"][0]["code"] == "not_a_date");
    CHECK(check["bad"][0]["zh"].get<std::string>().find("不是有效日期") != std::string::npos);
    CHECK(check["queued"] == 0);
    CHECK(depth(h) == 0);

    // The same file read as UTF-8 is refused, naming the encoding; without
    // the page's token, nothing is queued either.
    auto as_utf8 = post_file("/api/upload/check?kind=flows&encoding=utf-8", serve.token);
    CHECK(as_utf8.status == 400);
    CHECK(json::parse(as_utf8.body)["field"] == "encoding");
    auto wrong_kind = post_file("/api/upload/check?kind=sales", serve.token);
    CHECK(wrong_kind.status == 400);
    CHECK(json::parse(wrong_kind.body)["field"] == "kind");
    CHECK(post_file("/api/upload?kind=flows&name=flows.csv", "not-the-token").status == 403);
    CHECK(depth(h) == 0);

    auto queued = post_file("/api/upload?kind=flows&encoding=auto&name=flows.csv", serve.token);
    REQUIRE(queued.status == 200);
    auto done = json::parse(queued.body);
    CHECK(done["queued"] == 2);
    CHECK(done["first"] == 1);
    CHECK(done["last"] == 2);
    REQUIRE(serve.until("/api/state", [](const json& s) { return s["records_waiting"] == 0; }));
    CHECK(store_scalar(db,
                       "SELECT count(*) FROM records WHERE device = 'dev-006' AND kind = "
                       "'flow'") == 2);
    auto listed = run({binary("fieldflow"), "records", "--db", db, "--kind", "flow"}).out;
    INFO(listed);
    CHECK(listed.find("批A1") != std::string::npos);
    CHECK(listed.find("F2") == std::string::npos);
}

TEST_CASE(
    "serve: a retail rep's upload is refused, and so is any before the handheld knows its "
    "rep's role") {
    TempDir dir;
    auto master = write_master_fixture(dir.path());
    auto db = dir.store("gateway.db");
    GatewayProcess gateway(master, db, "127.0.0.1:0", dir / "gateway.log");
    const std::string flows =
        "flow_id,date,seller_id,buyer_id,product_id,lot,qty\nF1,2026-12-01,D1,T1,P1,L1,12\n";

    // Nothing downloaded yet: serve without a gateway knows no role.
    Handheld fresh;
    REQUIRE(fresh({"init", "--device", "dev-007", "--rep", "R3"}).code == 0);
    {
        Serving serve(fresh, {}, dir / "fresh-serve.log");
        CHECK(serve.get("/api/state")["rep_role"].is_null());
        auto refused = http_request(serve.address, "POST", "/api/upload/check?kind=flows", flows,
                                    {{"X-Fieldflow-Token", serve.token}});
        CHECK(refused.status == 403);
        auto why = json::parse(refused.body);
        CHECK(why["error"] == "role_unknown");
        CHECK(why["message"].get<std::string>().find("请先同步") != std::string::npos);
        CHECK(why["message_en"].get<std::string>().find("sync first") != std::string::npos);
    }

    // R1 is a retail rep: told so by the gateway, the handheld refuses.
    Handheld retail;
    REQUIRE(retail({"init", "--device", "dev-008", "--rep", "R1", "--gateway", gateway.address()})
                .code == 0);
    Serving serve(retail, {}, dir / "retail-serve.log");
    REQUIRE(serve.until("/api/state", [](const json& s) { return s["rep_role"] == "retail"; }));
    for (const char* target : {"/api/upload/check?kind=flows", "/api/upload?kind=flows"}) {
        auto refused = http_request(serve.address, "POST", target, flows,
                                    {{"X-Fieldflow-Token", serve.token}});
        CHECK(refused.status == 403);
        auto why = json::parse(refused.body);
        CHECK(why["error"] == "not_commercial");
        CHECK(why["message"] == "只有商务代表可以上传流向和库存");
        CHECK(why["message_en"].get<std::string>().find("retail") != std::string::npos);
    }
    CHECK(depth(retail) == 0);
}
