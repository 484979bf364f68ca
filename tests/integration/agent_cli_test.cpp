// The handheld program from the rep's side: what it refuses, what it keeps,
// and that capture never needs the network.

#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "schemas/record_codec.h"
#include "support/handheld.h"
#include "support/process.h"

using namespace fieldflow::test;
namespace wire = fieldflow::wire;

namespace {

// One row of the handheld's outbox, read behind the program's back.
struct Stored {
    std::int64_t seq = 0;
    std::string kind;
    std::vector<std::byte> envelope;
};

std::string database(const Handheld& h) {
    return h.state + "/agent.db";
}

std::vector<Stored> outbox_rows(const Handheld& h) {
    SQLite::Database db(database(h), SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT seq, kind, envelope FROM outbox ORDER BY seq");
    std::vector<Stored> rows;
    while (q.executeStep()) {
        auto blob = q.getColumn(2);
        auto* begin = static_cast<const std::byte*>(blob.getBlob());
        rows.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(),
                        std::vector<std::byte>(begin, begin + blob.getBytes())});
    }
    return rows;
}

// What a gateway's ack does to the outbox: the records are gone.
void delete_all_queued(const Handheld& h) {
    SQLite::Database db(database(h), SQLite::OPEN_READWRITE);
    db.exec("DELETE FROM outbox");
}

// A stored envelope read as the gateway reads it.
fieldflow::core::Record decoded(const std::vector<std::byte>& bytes) {
    auto read = wire::decode_record(bytes);
    if (read.problem) FAIL("the outbox holds an unreadable envelope: " << read.problem->detail);
    return *read.record;
}

}  // namespace

// The handheld alone: nothing here reaches a gateway's store.
TEST_SUITE_BEGIN("no gateway store");

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
    CHECK(h({"checkin", "--terminal", "T1", "--lat", "north", "--lon", "121.5", "--accuracy", "8"})
              .code == 2);
    CHECK(h({"checkin", "--terminal", "T1", "--lat", "95", "--lon", "121.5", "--accuracy", "8"})
              .code == 2);
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
    auto second =
        h({"checkin", "--terminal", "T2", "--lat", "30.259", "--lon", "120.13", "--accuracy", "5"});
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
    auto before = outbox_rows(h);
    auto sync = h({"sync", "--gateway", "127.0.0.1:1", "--retry-for", "1"});
    CHECK(sync.code == 75);
    CHECK(sync.out.find("gateway unreachable: 2 records still queued") != std::string::npos);
    CHECK(h.status_has("\"depth\":2"));
    CHECK(h.status_has("\"last_ack\":null"));
    auto after = outbox_rows(h);
    REQUIRE(after.size() == before.size());
    for (std::size_t i = 0; i < after.size(); ++i) {
        CHECK(after[i].seq == before[i].seq);
        CHECK(after[i].envelope == before[i].envelope);
    }
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

TEST_CASE("agent: every capture is stored as an envelope carrying the device, rep and its seq") {
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    h(check_in_t1);
    CHECK(h({"count", "--product", "P1", "--qty", "-3", "--lot", "L7"}).code == 0);
    auto rows = outbox_rows(h);
    REQUIRE(rows.size() == 2);
    CHECK(rows[1].kind == "stock_count");
    auto count = decoded(rows[1].envelope);
    CHECK(count.device == "dev-001");
    CHECK(count.rep == "R1");
    CHECK(count.seq == 2);
    CHECK(count.captured_at_ms > 0);
    auto* payload = std::get_if<fieldflow::core::StockCount>(&count.payload);
    REQUIRE(payload != nullptr);
    // A negative count is the gateway's to judge; the handheld keeps it as typed.
    CHECK(payload->qty == -3);
    CHECK(payload->terminal == "T1");
    CHECK(payload->lot == "L7");
}

TEST_CASE("agent: sequence numbers keep rising after acked records are deleted") {
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    CHECK(h(check_in_t1).out.find("(record 1)") != std::string::npos);
    CHECK(h({"count", "--product", "P1", "--qty", "4"}).out.find("(record 2)") !=
          std::string::npos);
    CHECK(h({"checkout"}).out.find("(record 3)") != std::string::npos);
    CHECK(h.status_has("\"next_seq\":4"));

    delete_all_queued(h);
    CHECK(h.status_has("\"depth\":0"));
    CHECK(h.status_has("\"next_seq\":4"));
    CHECK(h(check_in_t1).out.find("(record 4)") != std::string::npos);
    auto rows = outbox_rows(h);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].seq == 4);
    CHECK(decoded(rows[0].envelope).seq == 4);
    CHECK(h.status_has("\"next_seq\":5"));
}

TEST_CASE("agent: the automatic check-out names the visit it closes") {
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    h(check_in_t1);
    h({"checkin", "--terminal", "T2", "--lat", "30.259", "--lon", "120.13", "--accuracy", "5"});
    CHECK(h({"checkout"}).code == 0);
    auto rows = outbox_rows(h);
    REQUIRE(rows.size() == 4);
    CHECK(rows[1].kind == "check_out");
    auto automatic = decoded(rows[1].envelope);
    auto* closed = std::get_if<fieldflow::core::CheckOut>(&automatic.payload);
    REQUIRE(closed != nullptr);
    CHECK(closed->terminal == "T1");
    CHECK(closed->check_in_seq == 1);
    CHECK(closed->automatic);

    auto by_rep = decoded(rows[3].envelope);
    auto* left = std::get_if<fieldflow::core::CheckOut>(&by_rep.payload);
    REQUIRE(left != nullptr);
    CHECK(left->terminal == "T2");
    CHECK(left->check_in_seq == 3);
    CHECK_FALSE(left->automatic);
    CHECK(h.status_has("\"open_visit\":null"));
}

TEST_CASE("agent: a quantity the record cannot carry is a usage error") {
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    h(check_in_t1);
    CHECK(h({"count", "--product", "P1", "--qty", "99999999999"}).code == 2);
    CHECK(h({"count", "--product", "P1", "--qty", "99999999999999999999999"}).code == 2);
    CHECK(h({"count", "--product", "P1", "--qty", ""}).code == 2);
    CHECK(h.status_has("\"depth\":1"));
}

TEST_CASE("agent: status speaks plainly without --json") {
    Handheld h;
    CHECK(h({"status"}).out.find("not set up") != std::string::npos);
    h({"init", "--device", "dev-001", "--rep", "R1"});
    h(check_in_t1);
    auto status = h({"status"});
    CHECK(status.code == 0);
    CHECK(status.out.find("dev-001 (rep R1)") != std::string::npos);
    CHECK(status.out.find("1 record queued (next seq 2)") != std::string::npos);
    CHECK(status.out.find("open at T1 since") != std::string::npos);
    CHECK(status.out.find("last ack   never") != std::string::npos);
}

TEST_CASE("agent: sync before init is refused") {
    Handheld h;
    CHECK(h({"sync", "--gateway", "127.0.0.1:1", "--retry-for", "0"}).code == 1);
}

TEST_CASE("agent: every command prints its usage with --help and exits 0, writing nothing") {
    Handheld h;
    for (std::string command : {"init", "checkin", "count", "checkout", "sync", "status", "scan",
                                "catalog", "verdicts", "config", "upload", "sales", "purchase",
                                "promotion", "display", "competitor", "distributor-stock"}) {
        CAPTURE(command);
        auto help = run({binary("fieldflow-agent"), command, "--help"});
        CHECK(help.code == 0);
        CHECK(help.out.find("Usage: fieldflow-agent " + command) != std::string::npos);
    }
    CHECK_FALSE(std::filesystem::exists(h.state));
}

TEST_CASE("agent: a value out of its range names the flag and the range, then the usage") {
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    // stderr, through a shell: run() keeps stdout only.
    auto both = [&](const std::string& arguments) {
        return run({"/bin/sh", "-c",
                    binary("fieldflow-agent") + " --state " + h.state + " " + arguments + " 2>&1"});
    };
    auto lat = both("checkin --terminal T1 --lat 95 --lon 121.5 --accuracy 8");
    CHECK(lat.code == 2);
    CHECK(lat.out.find("--lat") != std::string::npos);
    CHECK(lat.out.find("not in range -90") != std::string::npos);
    CHECK(lat.out.find("Usage: fieldflow-agent checkin") != std::string::npos);
    auto qty = both("sales --product P1 --qty 3000000000");
    CHECK(qty.code == 2);
    CHECK(qty.out.find("--qty") != std::string::npos);
    CHECK(qty.out.find("2147483647") != std::string::npos);
    auto price = both("competitor --brand B --product X --price -1");
    CHECK(price.code == 2);
    CHECK(price.out.find("--price") != std::string::npos);
    auto gateway = both("sync --gateway localhost");
    CHECK(gateway.code == 2);
    CHECK(gateway.out.find("--gateway") != std::string::npos);
    CHECK(gateway.out.find("HOST:PORT") != std::string::npos);
    auto corrects = both("count --product P1 --qty 1 --corrects 0");
    CHECK(corrects.code == 2);
    CHECK(corrects.out.find("--corrects") != std::string::npos);
    CHECK(h.status_has("\"depth\":0"));
}

TEST_CASE("agent: --state may follow the command") {
    Handheld h;
    auto init = run({binary("fieldflow-agent"), "init", "--device", "dev-001", "--rep", "R1",
                     "--state", h.state});
    CHECK(init.code == 0);
    CHECK(h.status_has("\"device\":\"dev-001\""));
}

TEST_SUITE_END();
