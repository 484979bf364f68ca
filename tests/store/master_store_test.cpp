// Master data versions in the store: what each import changed, any version
// read back whole, and an unchanged import making no version.

#include "store/master_store.h"

#include <doctest/doctest.h>

#include "store/store_file.h"
#include "support/master_fixture.h"

using namespace fieldflow;
using fieldflow::test::StoreFile;

namespace {

core::MasterData fixture(const std::filesystem::path& parent) {
    auto load = core::load_master_data(test::write_master_fixture(parent));
    REQUIRE(load.errors.empty());
    return load.data;
}

}  // namespace

TEST_CASE("master store: versions keep what changed, and each reads back as imported") {
    StoreFile file;
    auto db = store::sql::Database::open(file.location);
    store::MasterStore master(*db);
    CHECK(master.latest() == 0);

    auto first = fixture(file.dir.path());
    auto v1 = master.import(first, "/srv/master", "chen", 1000);
    CHECK(v1.created);
    CHECK(v1.version == 1);
    CHECK(v1.changes.terminals.added == std::vector<std::string>{"T1", "T2"});
    CHECK(master.load(1) == first);

    auto second = first;
    second.terminals.at("T1").lat = 31.23041234567891;  // needs all 17 digits to read back
    second.terminals.erase("T2");
    auto t3 = first.terminals.at("T1");
    t3.id = "T3";
    t3.name = "新开药店";
    second.terminals.emplace("T3", t3);
    second.distributors.at("D1").territories = {"CN-SH"};
    auto v2 = master.import(second, "/srv/master", "wang", 2000);
    CHECK(v2.created);
    CHECK(v2.version == 2);
    CHECK(v2.changes.terminals.added == std::vector<std::string>{"T3"});
    CHECK(v2.changes.terminals.changed == std::vector<std::string>{"T1"});
    CHECK(v2.changes.terminals.removed == std::vector<std::string>{"T2"});
    CHECK(v2.changes.distributors.changed == std::vector<std::string>{"D1"});
    CHECK(v2.changes.products.empty());

    CHECK(master.latest() == 2);
    CHECK(master.load(2) == second);
    CHECK(master.load(1) == first);  // the older version is still whole

    auto versions = master.versions();
    REQUIRE(versions.size() == 2);
    CHECK(versions[0].number == 1);
    CHECK(versions[0].by == "chen");
    CHECK(versions[0].imported_at_ms == 1000);
    CHECK(versions[0].terminals.added == 2);
    CHECK(versions[0].reps.added == 3);
    CHECK(versions[1].source == "/srv/master");
    CHECK(versions[1].terminals.added == 1);
    CHECK(versions[1].terminals.changed == 1);
    CHECK(versions[1].terminals.removed == 1);
    CHECK(versions[1].distributors.changed == 1);
    CHECK(versions[1].products.added + versions[1].products.changed +
              versions[1].products.removed ==
          0);
}

TEST_CASE("master store: the same data again makes no version") {
    StoreFile file;
    auto db = store::sql::Database::open(file.location);
    store::MasterStore master(*db);
    auto data = fixture(file.dir.path());
    REQUIRE(master.import(data, "a", "chen", 1000).created);
    auto again = master.import(data, "b", "chen", 2000);
    CHECK_FALSE(again.created);
    CHECK(again.version == 1);
    CHECK(again.changes.empty());
    CHECK(master.versions().size() == 1);
}

TEST_CASE("master store: what changed since a version is in the rows' own columns") {
    StoreFile file;
    auto db = store::sql::Database::open(file.location);
    store::MasterStore master(*db);
    auto data = fixture(file.dir.path());
    master.import(data, "a", "chen", 1000);
    data.reps.at("R2").territory = "CN-SH";
    master.import(data, "a", "chen", 2000);
    // A device holding version 1 needs the rows that began after it.
    CHECK(db->query_int64("SELECT count(*) FROM master_reps WHERE valid_from > 1 AND "
                          "valid_until IS NULL AND territory = 'CN-SH'") == 1);
    CHECK(db->query_int64("SELECT count(*) FROM master_changes WHERE version > 1") == 1);
}

TEST_CASE("master store: a terminal's address is kept, and a new address alone is a change") {
    StoreFile file;
    auto db = store::sql::Database::open(file.location);
    store::MasterStore master(*db);
    auto data = fixture(file.dir.path());
    data.terminals.at("T1").address = "上海市浦东新区张杨路123号";
    master.import(data, "a", "chen", 1000);
    CHECK(master.load(1).terminals.at("T1").address == "上海市浦东新区张杨路123号");
    CHECK(master.load(1).terminals.at("T2").address.empty());

    data.terminals.at("T2").address = "杭州市西湖区文三路88号";
    auto v2 = master.import(data, "a", "chen", 2000);
    CHECK(v2.created);
    CHECK(v2.changes.terminals.changed == std::vector<std::string>{"T2"});
    auto versions = master.versions();
    REQUIRE(versions.size() == 2);
    CHECK(versions[1].terminals.changed == 1);
    CHECK(versions[1].terminals.added + versions[1].terminals.removed == 0);
    CHECK(master.load(2) == data);
    CHECK(master.load(1).terminals.at("T2").address.empty());  // the older version as it was
}

TEST_CASE("master store: a store made before addresses gains the column when opened") {
    StoreFile file;
    auto db = store::sql::Database::open(file.location);
    // master_terminals as stores made it before terminals had addresses.
    db->exec(
        "CREATE TABLE master_terminals ("
        "  terminal_id TEXT NOT NULL, valid_from INTEGER NOT NULL, valid_until INTEGER,"
        "  name TEXT NOT NULL, kind TEXT NOT NULL, territory TEXT NOT NULL,"
        "  lat TEXT NOT NULL, lon TEXT NOT NULL, radius_m TEXT NOT NULL, grade TEXT NOT NULL,"
        "  PRIMARY KEY (terminal_id, valid_from))");
    db->exec(
        "CREATE TABLE master_versions (version INTEGER NOT NULL PRIMARY KEY, "
        "imported_at_ms INTEGER NOT NULL, source TEXT NOT NULL, imported_by TEXT NOT NULL)");
    db->exec("INSERT INTO master_versions VALUES (1, 1000, 'old', 'chen')");
    db->exec(
        "INSERT INTO master_terminals (terminal_id, valid_from, name, kind, territory, lat, lon, "
        "radius_m, grade) VALUES ('T1', 1, '老百姓大药房', 'pharmacy', 'CN-SH-PD', '31.2304', "
        "'121.506', '100', 'A')");
    CHECK_FALSE(store::sql::has_column(*db, "master_terminals", "address"));

    store::MasterStore master(*db);
    CHECK(store::sql::has_column(*db, "master_terminals", "address"));
    auto held = master.load(1);
    REQUIRE(held.terminals.size() == 1);
    CHECK(held.terminals.at("T1").address.empty());
    CHECK(held.terminals.at("T1").name == "老百姓大药房");

    auto readdressed = held;
    readdressed.terminals.at("T1").address = "上海市浦东新区张杨路123号";
    auto v2 = master.import(readdressed, "new", "chen", 2000);
    CHECK(v2.changes.terminals.changed == std::vector<std::string>{"T1"});
    CHECK(master.load(2) == readdressed);
    // Opening it again changes nothing more.
    store::MasterStore again(*db);
    CHECK(again.load(2) == readdressed);
}
