#include "store/book_writer.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <random>

#include "store/book_schema.h"
#include "store/distribution_store.h"
#include "support/process.h"

using namespace fieldflow;

namespace {

// A store with the books' tables and nothing else.
struct BooksFile {
    test::TempDir dir;
    std::string location = dir.store("books.db");
    BooksFile() { store::DistributionStore create(location); }
};

core::FlowRow flow(const std::string& id, const std::string& date, const std::string& buyer,
                   long long qty, const std::string& lot = "L1") {
    return {id, *core::parse_date(date), "D1", buyer, "P1", lot, qty, 2};
}

template <class F>
void in_transaction(store::sql::Database& db, F&& f) {
    store::sql::Transaction t(db);
    f();
    t.commit();
}

}  // namespace

TEST_CASE("book writer: a row again is unchanged, an id with other content is kept aside") {
    BooksFile file;
    auto db_store = store::sql::Database::open(file.location);
    auto& db = *db_store;
    store::AuditLog audit(db);
    store::BookWriter writer(db, audit);
    core::LoadError why;
    in_transaction(db, [&] {
        auto source = writer.new_source(core::ImportKind::flows, "a.csv", "x", 0);
        CHECK(writer.add(flow("F1", "2026-03-02", "T1", 5), source, why) == store::Written::stored);
        CHECK(writer.add(flow("F1", "2026-03-02", "T1", 5), source, why) ==
              store::Written::unchanged);
        CHECK(writer.add(flow("F1", "2026-03-02", "T1", 6), source, why) ==
              store::Written::conflicting);
        CHECK(writer.add(flow("F1", "2026-03-02", "T1", 6), source, why) ==
              store::Written::unchanged);  // that conflict is kept once
    });
    auto book = store::load_book(db);
    REQUIRE(book.flows.size() == 1);
    CHECK(book.flows[0].qty == 5);
    REQUIRE(book.flow_conflicts.size() == 1);
    CHECK(book.flow_conflicts[0].first_row == book.flows[0].row);
}

TEST_CASE("book writer: a row dated in a closed period is booked in the next open one") {
    BooksFile file;
    store::DistributionStore books(file.location);
    books.close_period(*core::parse_period("2026-03"), "chen");
    books.close_period(*core::parse_period("2026-04"), "chen");
    auto db_store = store::sql::Database::open(file.location);
    auto& db = *db_store;
    store::AuditLog audit(db);
    store::BookWriter writer(db, audit);
    core::LoadError why;
    in_transaction(db, [&] {
        auto source = writer.new_source(core::ImportKind::flows, "late.csv", "y", 0);
        CHECK(writer.add(flow("F1", "2026-03-20", "T1", 5), source, why) == store::Written::late);
        CHECK(writer.add(flow("F2", "2026-05-20", "T1", 5), source, why) == store::Written::stored);
    });
    auto book = store::load_book(db);
    REQUIRE(book.flows.size() == 2);
    CHECK(core::format_date(book.flows[0].day) == "2026-03-20");
    CHECK(core::format_date(book.flows[0].booked_day) == "2026-05-01");
    CHECK(book.flows[1].booked_day == book.flows[1].day);
}

TEST_CASE("book writer: two writers on one file agree on every name") {
    BooksFile file;
    auto one_store = store::sql::Database::open(file.location);
    auto& one = *one_store;
    auto two_store = store::sql::Database::open(file.location);
    auto& two = *two_store;
    store::AuditLog one_audit(one), two_audit(two);
    store::BookWriter gateway(one, one_audit),
        import(two, two_audit);  // both read the names while there were none
    core::LoadError why;
    in_transaction(two, [&] {
        auto source = import.new_source(core::ImportKind::flows, "a.csv", "a", 0);
        import.add(flow("F1", "2026-03-02", "T7", 5), source, why);
    });
    in_transaction(one, [&] {
        auto source = gateway.source_for(core::ImportKind::flows, "uploads", "device:d", 0);
        CHECK(gateway.add(flow("F2", "2026-03-03", "T7", 1, "L2"), source, why) ==
              store::Written::stored);
    });
    auto book = store::load_book(one);
    REQUIRE(book.flows.size() == 2);
    CHECK(book.flows[0].buyer == book.flows[1].buyer);
    CHECK(book.names.text(book.flows[1].buyer) == "T7");
    CHECK(book.names.text(book.flows[1].lot) == "L2");
}

TEST_CASE("book writer: names written in a transaction that rolled back are written again") {
    BooksFile file;
    auto db_store = store::sql::Database::open(file.location);
    auto& db = *db_store;
    store::AuditLog audit(db);
    store::BookWriter writer(db, audit);
    core::LoadError why;
    {
        store::sql::Transaction lost(db);
        auto source = writer.new_source(core::ImportKind::flows, "a.csv", "a", 0);
        writer.add(flow("F1", "2026-03-02", "T8", 5, "L8"), source, why);
    }  // rolled back
    writer.rolled_back();
    in_transaction(db, [&] {
        auto source = writer.new_source(core::ImportKind::flows, "a.csv", "a", 0);
        CHECK(writer.add(flow("F1", "2026-03-02", "T8", 5, "L8"), source, why) ==
              store::Written::stored);
    });
    writer.committed();
    auto book = store::load_book(db);
    REQUIRE(book.flows.size() == 1);
    CHECK(book.names.text(book.flows[0].buyer) == "T8");
    CHECK(book.names.text(book.flows[0].lot) == "L8");
}

TEST_CASE(
    "book writer: held stock lines go in with the commit, first content kept, or not at all") {
    BooksFile file;
    auto db_store = store::sql::Database::open(file.location);
    auto& db = *db_store;
    store::AuditLog audit(db);
    store::BookWriter writer(db, audit);
    auto line = [](long long qty) {
        return core::StockRow{"R1", *core::parse_date("2026-03-02"), "D1", "P1", "L1", qty, 1};
    };
    std::int64_t source = 0;
    in_transaction(db, [&] {
        source = writer.new_source(core::ImportKind::stock, "uploads", "device:d1", 0);
        writer.hold(line(5), source);
        writer.hold(line(6), source);  // the same line again, other content
        CHECK(db.query_int64("SELECT count(*) FROM stock_reports") == 0);  // not sent yet
    });
    in_transaction(db, [&] { writer.hold(line(7), source); });
    {
        store::sql::Transaction lost(db);
        writer.hold(core::StockRow{"R2", line(1).day, "D1", "P1", "L1", 9, 2}, source);
    }                           // rolled back: R2 never reaches the store
    in_transaction(db, [] {});  // and is not sent with a later commit either
    auto book = store::load_book(db);
    REQUIRE(book.stock.size() == 1);
    CHECK(book.stock[0].qty == 5);
}
