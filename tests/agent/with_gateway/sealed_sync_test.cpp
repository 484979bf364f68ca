// A sealed outbox syncs what was captured, opened on the way out: the
// gateway stores the same records and the same photo as from a handheld
// without a PIN; a locked one sends nothing and loses nothing.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "agent/report_commands.h"
#include "agent/scratch_state.h"
#include "agent/sync.h"
#include "core/digest.h"
#include "agent/with_gateway/sync_to.h"
#include "store/photo_store.h"
#include "support/in_process_gateway.h"
#include "support/scratch_store.h"

using namespace fieldflow;

TEST_CASE(
    "sync: a sealed outbox delivers its records and photo as captured; locked, it sends nothing") {
    test::ScratchState dir;
    test::InProcessGateway gateway;
    agent::Outbox outbox(dir.handheld());
    outbox.init({"dev-001", "R1"});
    outbox.set_pin("246810", std::chrono::minutes(10));
    std::vector<char> photo(50'000, '\x5A');
    photo[0] = '\xFF';
    photo[1] = '\xD8';
    photo[2] = '\xFF';
    std::ofstream(dir.path() / "front.jpg", std::ios::binary)
        .write(photo.data(), std::streamsize(photo.size()));
    core::CheckIn in{"T1", 31.2304, 121.5060, 8};
    agent::attach_photo(outbox, in, (dir.path() / "front.jpg").string());
    outbox.check_in(in);
    outbox.count("P1", 36, "L7");

    outbox.lock();
    std::ostringstream out;
    CHECK_THROWS_AS(agent::sync(outbox, test::sync_to(gateway.address(), out)), agent::Locked);
    CHECK(outbox.depth() == 2);
    CHECK(test::store_scalar(gateway.db(), "SELECT count(*) FROM records") == 0);

    outbox.unlock("246810", std::chrono::minutes(10));
    CHECK(agent::sync(outbox, test::sync_to(gateway.address(), out)) == 0);
    INFO(out.str());
    CHECK(outbox.depth() == 0);
    CHECK(test::store_scalar(gateway.db(),
                             "SELECT count(*) FROM records WHERE device = 'dev-001'") == 2);
    CHECK(test::store_scalar(gateway.db(),
                             "SELECT count(*) FROM records WHERE device = 'dev-001' AND "
                             "kind = 'stock_count'") == 1);
    // Opened as captured, the check-in at T1's door passes the geofence.
    CHECK(test::store_scalar(gateway.db(),
                             "SELECT count(*) FROM records WHERE kind = 'check_in' "
                             "AND verdict = 'accepted'") == 1);
    auto sha256 = core::hex(core::sha256(std::as_bytes(std::span(photo))));
    auto db = store::sql::Database::open(gateway.db());
    auto stored = store::PhotoStore(*db).photo(sha256);
    REQUIRE(stored);
    CHECK(stored->bytes.size() == photo.size());
    CHECK(std::equal(stored->bytes.begin(), stored->bytes.end(),
                     reinterpret_cast<const std::byte*>(photo.data())));
    outbox.lock();
}
