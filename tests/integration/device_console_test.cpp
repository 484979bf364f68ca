// Handhelds enrolled, listed and revoked from the operators' console
// (gateway/device_routes.h): the credential is shown once and works for a
// real agent, a revocation stops it, only admins may do either, and the
// audit log has each as `fieldflow device` writes it.

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "support/gateway_process.h"
#include "support/handheld.h"
#include "support/http_client.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/scratch_store.h"
#include "support/console_gateway.h"
#include "support/test_ca.h"

using namespace fieldflow::test;
using nlohmann::json;

namespace {

// A console gateway that takes enrolled devices only, with admin wang,
// reviewer zhang and viewer li.
struct EnrolledDevicesGateway : ConsoleGateway {
    EnrolledDevicesGateway() : ConsoleGateway({"--auth", "enrolled"}) {
        REQUIRE(add_operator(db, "wang", "admin", "correct horse") == 0);
        REQUIRE(add_operator(db, "zhang", "reviewer", "battery staple") == 0);
        REQUIRE(add_operator(db, "li", "viewer", "staple battery") == 0);
    }
    long long audit(const std::string& where) {
        return store_scalar(db, "SELECT count(*) FROM audit_log WHERE " + where);
    }
};

void init_and_check_in(const Handheld& h, const std::string& device, const std::string& rep,
                       const std::string& credential) {
    REQUIRE(h({"init", "--device", device, "--rep", rep, "--credential", credential}).code == 0);
    REQUIRE(h({"checkin", "--terminal", "T1", "--lat", "31.2304", "--lon", "121.5060", "--accuracy",
               "5"})
                .code == 0);
}

}  // namespace

TEST_CASE("device console: an enrolled credential is shown once and a real agent syncs with it") {
    EnrolledDevicesGateway f;
    auto wang = f.login("wang", "correct horse");
    auto enrolled = f.post("/api/devices", {{"device", "dev-001"}, {"rep", "R1"}}, wang);
    REQUIRE(enrolled.status == 200);
    CHECK(enrolled.header("Cache-Control") == "no-store");
    auto body = json::parse(enrolled.body);
    std::string credential = body["credential"];
    CHECK(credential.rfind("ffd1.", 0) == 0);
    CHECK(body["uri"] == "fieldflow:enrol?gateway=" + f.gateway.address() +
                             "&device=dev-001&rep=R1&credential=" + credential);
    CHECK(body["qr_svg"].get<std::string>().find("<path d=\"M") != std::string::npos);
    CHECK(f.audit("action = 'device enrolled' AND actor = 'wang' AND subject = 'dev-001'") == 1);

    // A second read, by anyone, never shows it again.
    auto listed = f.get("/api/devices", wang);
    REQUIRE(listed.status == 200);
    CHECK(listed.body.find(credential.substr(5)) == std::string::npos);
    auto devices = json::parse(listed.body)["devices"];
    REQUIRE(devices.size() == 1);
    CHECK(devices[0]["rep"] == "R1");
    CHECK(devices[0]["state"] == "never");
    auto page = f.get("/api/devices/dev-001", wang);
    REQUIRE(page.status == 200);
    CHECK(page.body.find(credential.substr(5)) == std::string::npos);

    Handheld good;
    init_and_check_in(good, "dev-001", "R1", credential);
    REQUIRE(good({"sync", "--gateway", f.gateway.address()}).code == 0);
    CHECK(store_scalar(f.db, "SELECT count(*) FROM records WHERE device = 'dev-001'") == 1);

    auto li = f.login("li", "staple battery");
    devices = json::parse(f.get("/api/devices", li).body)["devices"];
    REQUIRE(devices.size() == 1);
    CHECK(devices[0]["outbox"] == 0);  // the hello's one record, acked since
    CHECK_FALSE(devices[0]["agent_version"].get<std::string>().empty());
    // The sync is over and its connection closed: seen, not online.
    CHECK(devices[0]["connected"] == false);
    CHECK(devices[0]["state"] == "idle");
    auto figures = json::parse(f.get("/api/devices/dev-001?tz=480", li).body);
    REQUIRE(figures["days"].size() == 1);
    CHECK(figures["days"][0]["accepted"].get<int>() + figures["days"][0]["flagged"].get<int>() ==
          1);
    REQUIRE(figures["fixes"].size() == 1);
    CHECK(figures["fixes"][0]["accuracy_m"] == doctest::Approx(5));
    REQUIRE(figures["uploads"].size() == 1);
    CHECK(figures["uploads"][0]["records"] == 1);
    CHECK(f.get("/api/devices/dev-404", li).status == 404);
    CHECK(f.get("/api/devices/dev-001?tz=east", li).status == 400);
}

TEST_CASE(
    "device console: a handheld set up from the enrolment URI syncs without being told "
    "the gateway") {
    EnrolledDevicesGateway f;
    auto wang = f.login("wang", "correct horse");
    auto enrolled = f.post("/api/devices", {{"device", "dev-001"}, {"rep", "R1"}}, wang);
    REQUIRE(enrolled.status == 200);
    std::string uri = json::parse(enrolled.body)["uri"];

    Handheld h;
    // What the scan engine reads from the QR code, its line ending included.
    auto ready = h({"init", "--enrolment", uri + "\r\n"});
    INFO(ready.out);
    REQUIRE(ready.code == 0);
    CHECK(ready.out == "handheld ready as dev-001 for rep R1, enrolled, syncing with " +
                           f.gateway.address() + "\n");
    REQUIRE(h({"checkin", "--terminal", "T1", "--lat", "31.2304", "--lon", "121.5060", "--accuracy",
               "5"})
                .code == 0);
    auto synced = h({"sync"});
    INFO(synced.out);
    CHECK(synced.code == 0);
    CHECK(store_scalar(f.db,
                       "SELECT count(*) FROM records WHERE device = 'dev-001' AND "
                       "rep = 'R1'") == 1);

    // Scanned again (the same enrolment) it changes nothing; another device's is refused.
    CHECK(h({"init", "--enrolment", uri}).code == 0);
    auto other = f.post("/api/devices", {{"device", "dev-002"}, {"rep", "R1"}}, wang);
    REQUIRE(other.status == 200);
    CHECK(h({"init", "--enrolment", json::parse(other.body)["uri"]}).code == 1);
    // A code that is not an enrolment is named, and nothing is written.
    Handheld fresh;
    CHECK(fresh({"init", "--enrolment", "https://example.com/6901234567892"}).code == 2);
    CHECK(fresh({"init", "--enrolment",
                 "fieldflow:enrol?gateway=" + f.gateway.address() + "&device=dev%G1&credential=x"})
              .code == 2);
    CHECK(fresh({"sync"}).code == 2);  // no gateway remembered, and not set up
}

TEST_CASE(
    "device console: the enrolment carries the agents' CA, and a handheld set up from it syncs "
    "over TLS with no --ca") {
    TempDir certs;
    auto ours = make_test_ca(certs.path(), "ours");
    auto theirs = make_test_ca(certs.path(), "theirs");
    ConsoleGateway f({"--auth", "enrolled", "--tls-cert", ours.cert, "--tls-key", ours.key,
                      "--agent-ca", ours.ca});
    REQUIRE(add_operator(f.db, "wang", "admin", "correct horse") == 0);
    auto wang = f.login("wang", "correct horse");
    auto enrolled = f.post("/api/devices", {{"device", "dev-001"}, {"rep", "R1"}}, wang);
    REQUIRE(enrolled.status == 200);
    std::string uri = json::parse(enrolled.body)["uri"];
    CHECK(uri.find("&ca=") != std::string::npos);

    Handheld h;
    auto ready = h({"init", "--enrolment", uri});
    INFO(ready.out);
    REQUIRE(ready.code == 0);
    CHECK(ready.out.ends_with(" over TLS, trusting the enrolment's CA\n"));
    // The same certificate the gateway was given, as PEM.
    CHECK(read_file(h.state + "/gateway-ca.pem") == read_file(ours.ca));
    REQUIRE(h({"checkin", "--terminal", "T1", "--lat", "31.2304", "--lon", "121.5060", "--accuracy",
               "5"})
                .code == 0);
    auto synced = h({"sync", "--retry-for", "0"});
    INFO(synced.out);
    CHECK(synced.code == 0);
    CHECK(store_scalar(f.db, "SELECT count(*) FROM records WHERE device = 'dev-001'") == 1);

    // Trusting that CA and no other: the same handheld refuses a gateway
    // whose certificate another CA issued.
    ConsoleGateway other({"--auth", "open", "--tls-cert", theirs.cert, "--tls-key", theirs.key});
    REQUIRE(h({"checkin", "--terminal", "T1", "--lat", "31.2304", "--lon", "121.5060", "--accuracy",
               "5"})
                .code == 0);
    CHECK(h({"sync", "--gateway", other.gateway.address(), "--retry-for", "0"}).code == 1);
    CHECK(store_scalar(other.db, "SELECT count(*) FROM records") == 0);

    // A gateway whose certificate does not chain to its --agent-ca does not
    // start: every handheld enrolled with it would refuse it.
    TempDir dir;
    auto refused =
        run({"/bin/sh", "-c",
             binary("fieldflow-gateway") + " --listen 127.0.0.1:0 --db " + dir.store("g.db") +
                 " --master " + write_master_fixture(dir.path()) + " --tls-cert " + ours.cert +
                 " --tls-key " + ours.key + " --agent-ca " + theirs.ca + " 2>&1"});
    CHECK(refused.code == 2);
    CHECK(refused.out.find("does not verify against --agent-ca") != std::string::npos);
}

TEST_CASE("device console: a device's page shows the backlog each hello reported, oldest first") {
    EnrolledDevicesGateway f;
    auto wang = f.login("wang", "correct horse");
    auto enrolled = f.post("/api/devices", {{"device", "dev-001"}, {"rep", "R1"}}, wang);
    REQUIRE(enrolled.status == 200);
    Handheld h;
    init_and_check_in(h, "dev-001", "R1", json::parse(enrolled.body)["credential"]);
    auto page = [&] { return json::parse(f.get("/api/devices/dev-001", wang).body); };
    CHECK(page()["backlog"].empty());

    REQUIRE(h({"sync", "--gateway", f.gateway.address()}).code == 0);
    for (int i = 0; i < 3; ++i)
        REQUIRE(h({"count", "--product", "P1", "--qty", std::to_string(i + 1)}).code == 0);
    REQUIRE(h({"sync", "--gateway", f.gateway.address()}).code == 0);
    auto backlog = page()["backlog"];
    INFO(backlog.dump());
    REQUIRE(backlog.size() == 2);
    CHECK(backlog[0]["outbox"] == 1);  // the check-in
    CHECK(backlog[1]["outbox"] == 3);  // the three counts
    CHECK(backlog[0]["at_ms"].get<std::int64_t>() < backlog[1]["at_ms"].get<std::int64_t>());
}

TEST_CASE("device console: a revocation with its reason stops the device and is audited") {
    EnrolledDevicesGateway f;
    auto wang = f.login("wang", "correct horse");
    auto enrolled = f.post("/api/devices", {{"device", "dev-001"}, {"rep", "R1"}}, wang);
    REQUIRE(enrolled.status == 200);
    std::string credential = json::parse(enrolled.body)["credential"];

    CHECK(f.post("/api/devices/dev-001/revoke", json::object(), wang).status == 400);
    CHECK(f.post("/api/devices/dev-001/revoke", {{"reason", "  "}}, wang).status == 400);
    auto revoked = f.post("/api/devices/dev-001/revoke", {{"reason", "lost on the metro"}}, wang);
    CHECK(revoked.status == 200);
    CHECK(f.post("/api/devices/dev-001/revoke", {{"reason", "again"}}, wang).status == 409);
    CHECK(f.audit("action = 'device revoked' AND actor = 'wang' AND "
                  "detail = 'dev-001: lost on the metro'") == 1);
    auto devices = json::parse(f.get("/api/devices", wang).body)["devices"];
    REQUIRE(devices.size() == 1);
    CHECK(devices[0]["revoked_at_ms"].is_number());

    Handheld stopped;
    init_and_check_in(stopped, "dev-001", "R1", credential);
    CHECK(stopped({"sync", "--gateway", f.gateway.address()}).code == 1);
    CHECK(store_scalar(f.db, "SELECT count(*) FROM records") == 0);
    CHECK(stopped.status_has("\"depth\":1"));  // kept on the device
}

TEST_CASE("device console: viewers and reviewers may not enrol or revoke, and bad input is named") {
    EnrolledDevicesGateway f;
    auto wang = f.login("wang", "correct horse");
    REQUIRE(f.post("/api/devices", {{"device", "dev-001"}, {"rep", "R1"}}, wang).status == 200);
    for (auto [name, password] : {std::pair{"zhang", "battery staple"}, {"li", "staple battery"}}) {
        auto who = f.login(name, password);
        CHECK(f.post("/api/devices", {{"device", "dev-002"}, {"rep", "R1"}}, who).status == 403);
        CHECK(f.post("/api/devices/dev-001/revoke", {{"reason", "mine now"}}, who).status == 403);
        CHECK(f.get("/api/devices", who).status == 200);
    }
    CHECK(store_scalar(f.db, "SELECT count(*) FROM device_credentials") == 1);
    CHECK(store_scalar(f.db,
                       "SELECT count(*) FROM device_credentials WHERE revoked_at_ms IS NULL") == 1);

    auto spaced = f.post("/api/devices", {{"device", "dev 2"}, {"rep", "R1"}}, wang);
    CHECK(spaced.status == 400);
    CHECK(json::parse(spaced.body)["error"].get<std::string>().find("\"dev 2\"") !=
          std::string::npos);
    auto stranger = f.post("/api/devices", {{"device", "dev-002"}, {"rep", "R404"}}, wang);
    CHECK(stranger.status == 400);
    CHECK(json::parse(stranger.body)["error"] == "rep R404 is not in the master data");
    CHECK(f.post("/api/devices", {{"device", "dev-002"}}, wang).status == 400);
    auto forged = wang;
    forged.csrf = "not-the-token";
    CHECK(f.post("/api/devices", {{"device", "dev-002"}, {"rep", "R1"}}, forged).status == 403);
    CHECK(store_scalar(f.db, "SELECT count(*) FROM device_credentials") == 1);
}

TEST_CASE("device console: the master data's versions show what each import changed") {
    EnrolledDevicesGateway f;
    auto li = f.login("li", "staple battery");
    // The gateway stored its --master folder as the first version.
    auto versions = json::parse(f.get("/api/master", li).body)["versions"];
    REQUIRE(versions.size() == 1);
    CHECK(versions[0]["version"] == 1);
    CHECK(versions[0]["reps"]["added"].get<int>() >= 1);
    CHECK(versions[0]["reps"]["removed"] == 0);
    CHECK(versions[0]["terminals"]["added"].get<int>() >= 2);
}

TEST_CASE("device console: the device command refuses the ids and reps the console refuses") {
    TempDir dir;
    std::string db = dir.store("gateway.db");
    std::string master = write_master_fixture(dir.path());
    // What it says goes to stderr: read it with the rest.
    auto enroll = [&](const std::string& arguments) {
        return run(
            {"/bin/sh", "-c",
             binary("fieldflow") + " device enroll " + arguments + " --db '" + db + "' 2>&1"});
    };
    auto spaced = enroll("--device 'dev 2' --rep R1");
    CHECK(spaced.code == 1);
    CHECK(spaced.out.find("device id \"dev 2\" has characters other than") != std::string::npos);
    auto stranger = enroll("--device dev-2 --rep R404 --master '" + master + "'");
    CHECK(stranger.code == 1);
    CHECK(stranger.out.find("rep R404 is not in the master data") != std::string::npos);
    CHECK(store_scalar(db, "SELECT count(*) FROM device_credentials") == 0);
}
