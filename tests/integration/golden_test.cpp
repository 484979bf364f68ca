// Old agents keep working: records encoded by an earlier release, checked in
// as bytes, are understood and accepted by the current gateway.

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "support/gateway_process.h"
#include "support/master_fixture.h"
#include "support/process.h"
#include "support/wire_client.h"

using namespace fieldflow;
using namespace fieldflow::test;
namespace fs = std::filesystem;

TEST_CASE("golden: version 1 records from an old agent are accepted as they were") {
    std::vector<fs::path> files;
    for (const auto& e :
         fs::directory_iterator(fs::path(FIELDFLOW_SOURCE_DIR) / "tests" / "golden" / "v1"))
        if (e.path().extension() == ".bin") files.push_back(e.path());
    std::sort(files.begin(), files.end());  // "1-check_in.bin" ... in seq order
    REQUIRE(files.size() == 4);
    std::vector<std::vector<std::byte>> records;
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
        records.emplace_back(reinterpret_cast<const std::byte*>(bytes.data()),
                             reinterpret_cast<const std::byte*>(bytes.data()) + bytes.size());
    }

    TempDir dir;
    GatewayProcess gateway(write_master_fixture(dir.path()), dir.store("gateway.db"), "127.0.0.1:0",
                           dir / "gateway.log");
    WireClient client(gateway.address());
    REQUIRE(client.handshake("dev-001"));
    client.batch(records);
    auto ack = client.receive();
    REQUIRE(ack.has_value());
    REQUIRE(ack->isAck());
    auto results = ack->getAck().getResults();
    REQUIRE(results.size() == 4);
    for (unsigned i = 0; i < 4; ++i) {
        CAPTURE(files[i].filename().string());
        CHECK(results[i].getSeq() == i + 1);
        CHECK(results[i].getVerdict() == wire::Verdict::ACCEPTED);
    }
    auto listed = run({binary("fieldflow"), "records", "--db", dir.store("gateway.db")}).out;
    CHECK(listed.find("\"kind\":\"check_in\"") != std::string::npos);
    CHECK(listed.find("\"qty\":12") != std::string::npos);
    CHECK(listed.find("\"content\":\"6901234567892\"") != std::string::npos);
}
