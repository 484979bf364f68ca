// The handheld program from the rep's side: what it refuses, what it keeps,
// and that capture never needs the network.

#include <doctest/doctest.h>

#include "support/handheld.h"
#include "support/process.h"

using namespace fieldflow::test;

namespace {

const std::vector<std::string> check_in_t1{"checkin", "--terminal", "T1", "--lat", "31.2304",
                                           "--lon", "121.5060", "--accuracy", "8"};

}  // namespace

TEST_CASE("agent: init binds the handheld once") {
    Handheld h;
    CHECK(h({"init", "--device", "dev-001", "--rep", "R1"}).code == 0);
    CHECK(h({"init", "--device", "dev-001", "--rep", "R1"}).code == 0);
    CHECK(h({"init", "--device", "dev-002", "--rep", "R1"}).code == 1);
    CHECK(h({"init", "--device", "dev-001", "--rep", "R9"}).code == 1);
    CHECK(h.status_has("\"device\":\"dev-001\""));
    CHECK(h.status_has("\"rep\":\"R1\""));
}

TEST_CASE("agent: nothing is captured before init") {
    Handheld h;
    CHECK(h(check_in_t1).code == 1);
    CHECK(h.status_has("\"depth\":0"));
}

TEST_CASE("agent: a count needs an open visit and a refused count writes nothing") {
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    CHECK(h({"count", "--product", "P1", "--qty", "3"}).code == 1);
    CHECK(h({"checkout"}).code == 1);
    CHECK(h.status_has("\"depth\":0"));
    CHECK(h.status_has("\"next_seq\":1"));
    CHECK(h(check_in_t1).code == 0);
    CHECK(h({"count", "--product", "P1", "--qty", "3", "--lot", "L7"}).code == 0);
    CHECK(h.status_has("\"depth\":2"));
    CHECK(h.status_has("\"open_visit\":{\"terminal\":\"T1\",\"check_in_seq\":1"));
}

TEST_CASE("agent: values that are not numbers are usage errors and write nothing") {
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    CHECK(h({"checkin", "--terminal", "T1", "--lat", "north", "--lon", "121.5", "--accuracy", "8"}).code == 2);
    CHECK(h({"checkin", "--terminal", "T1", "--lat", "95", "--lon", "121.5", "--accuracy", "8"}).code == 2);
    h(check_in_t1);
    CHECK(h({"count", "--product", "P1", "--qty", "1x"}).code == 2);
    CHECK(h({"count", "--product", "P1"}).code == 2);
    CHECK(h({"count", "--product", "P1", "--qty", "2", "--colour", "red"}).code == 2);
    CHECK(h({"fly"}).code == 2);
    CHECK(h.status_has("\"depth\":1"));
}

TEST_CASE("agent: a new check-in closes the open visit with an automatic check-out") {
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    h(check_in_t1);
    auto second = h({"checkin", "--terminal", "T2", "--lat", "30.259", "--lon", "120.13", "--accuracy", "5"});
    CHECK(second.code == 0);
    CHECK(second.out.find("closed the open visit at T1 automatically") != std::string::npos);
    CHECK(h.status_has("\"depth\":3"));
    CHECK(h.status_has("\"open_visit\":{\"terminal\":\"T2\",\"check_in_seq\":3"));
}

TEST_CASE("agent: with no gateway, sync gives up after --retry-for and keeps every record") {
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    h(check_in_t1);
    h({"checkout"});
    // Port 1 on loopback: nothing listens there.
    auto sync = h({"sync", "--gateway", "127.0.0.1:1", "--retry-for", "1"});
    CHECK(sync.code == 75);
    CHECK(sync.out.find("2 records still queued") != std::string::npos);
    CHECK(h.status_has("\"depth\":2"));
    CHECK(h.status_has("\"last_ack\":null"));
}

TEST_CASE("agent: a malformed gateway address is a usage error") {
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    CHECK(h({"sync", "--gateway", "localhost"}).code == 2);
    CHECK(h({"sync", "--gateway", "127.0.0.1:7700", "--batch", "0"}).code == 2);
}

TEST_CASE("agent: a full outbox refuses capture with a message, and keeps what it has") {
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    CHECK(h({"config", "--outbox-limit", "2"}).code == 0);
    CHECK(h(check_in_t1).code == 0);
    CHECK(h({"count", "--product", "P1", "--qty", "1"}).code == 0);
    auto refused = h({"count", "--product", "P1", "--qty", "2"});
    CHECK(refused.code == 1);
    CHECK(h({"checkout"}).code == 1);
    CHECK(h.status_has("\"depth\":2"));
    CHECK(h.status_has("\"next_seq\":3"));
    CHECK(h({"config", "--outbox-limit", "0"}).code == 2);
}
