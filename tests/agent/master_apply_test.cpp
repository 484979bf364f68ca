// The handheld's side of the downlink (agent/master_apply.h) against a
// Downlink as a gateway from before MasterDelta.repRole sent it
// (tests/golden/protocol-v1/downlink.bin): today's agent applies its rows,
// knows no rep's role from it, and does not ask for the slice again.

#include <doctest/doctest.h>

#include <SQLiteCpp/Statement.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "agent/master_apply.h"
#include "agent/outbox.h"
#include "agent/scratch_state.h"
#include "schemas/frame.h"

using namespace fieldflow;

namespace master_apply_test {

kj::Array<kj::byte> golden_downlink_deflated() {
    auto path = std::filesystem::path(FIELDFLOW_SOURCE_DIR) / "tests" / "golden" / "protocol-v1" /
                "downlink.bin";
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "cannot open " << path.string());
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return wire::deflate_bytes({reinterpret_cast<const kj::byte*>(bytes.data()), bytes.size()});
}

}  // namespace master_apply_test

TEST_CASE("master apply: a downlink from before the rep's role is applied, with no role known") {
    test::ScratchState dir;
    agent::Outbox outbox(dir.path());
    auto& db = outbox.database();
    // A handheld that held nothing asks for its slice whole.
    CHECK(agent::master_version_to_ask(db) == 0);

    auto deflated = master_apply_test::golden_downlink_deflated();
    agent::DownlinkParts parts;
    parts.take(capnp::Data::Reader(deflated.begin(), deflated.size()));
    REQUIRE(parts.complete());
    auto applied = parts.apply(db);
    CHECK(applied.changed);
    CHECK(applied.to == 1);
    CHECK(applied.terminals == 1);
    CHECK(applied.products == 1);
    CHECK(applied.distributors == 1);
    CHECK(applied.rep_role.empty());
    CHECK(agent::master_version(db) == 1);
    CHECK(agent::terminals_known(db) == 1);
    CHECK(agent::rep_role(db).empty());
    // The gateway said what it knows: the next hello asks from version 1,
    // not for the whole slice again.
    CHECK(agent::master_version_to_ask(db) == 1);
}

TEST_CASE("master apply: master data held from before the rep's role is asked for whole once") {
    test::ScratchState dir;
    agent::Outbox outbox(dir.path());
    auto& db = outbox.database();
    // As an agent from before the field left its outbox: a version, no role.
    db.exec("INSERT INTO master_held (id, version) VALUES (1, 4)");
    CHECK(agent::master_version(db) == 4);
    CHECK(agent::master_version_to_ask(db) == 0);
    db.exec("INSERT INTO rep_held (id, role) VALUES (1, 'commercial')");
    CHECK(agent::master_version_to_ask(db) == 4);
    CHECK(agent::rep_role(db) == "commercial");
}
