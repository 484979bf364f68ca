// Which record sent which photo (store/photo_store.h): a batch's photos
// looked up together, and the earliest other record named for photo_reused.

#include "store/photo_store.h"

#include <doctest/doctest.h>

#include "store/store_file.h"

using namespace fieldflow;

namespace {

const std::string door(64, 'a'), shelf(64, 'b');

}  // namespace

TEST_CASE("photo store: a photo's uses are found together, the earliest other record named") {
    test::StoreFile file;
    auto db = store::sql::Database::open(file.location);
    store::PhotoStore photos(*db);
    store::sql::Transaction transaction(*db);
    // 2026-12-03 09:12 UTC and an hour later.
    const std::int64_t at = 1'796'289'120'000;
    photos.note_use(door, {"dev-002", 7, "T2", at + 3'600'000});
    photos.note_use(door, {"dev-001", 3, "T1", at});

    auto uses = photos.uses_of({door, shelf, door});
    REQUIRE(uses.size() == 2);
    CHECK(uses[door].size() == 2);
    CHECK(uses[shelf].empty());
    CHECK(store::PhotoStore::earlier_use(uses[door], "dev-003", 1) ==
          "record 3 of device dev-001 at terminal T1, captured 2026-12-03 09:12 UTC");
    // A record is not its own earlier use.
    CHECK(store::PhotoStore::earlier_use(uses[door], "dev-001", 3) ==
          "record 7 of device dev-002 at terminal T2, captured 2026-12-03 10:12 UTC");
    CHECK_FALSE(store::PhotoStore::earlier_use(uses[shelf], "dev-001", 4));
    CHECK(photos.uses_of({}).empty());
    transaction.commit();
}
