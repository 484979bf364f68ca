#include "core/ledger.h"

#include <doctest/doctest.h>

#include "core/book_builder.h"

using namespace fieldflow::core;
using fieldflow::test::book_master;
using fieldflow::test::BookBuilder;

namespace {

const LedgerLine& line(const Ledger& ledger, BookBuilder& b, const char* holder,
                       const char* product, const char* period) {
    for (const auto& l : ledger.lines)
        if (l.holder == b.intern(holder) && l.product == b.intern(product) &&
            l.period == *parse_period(period))
            return l;
    FAIL("no ledger line for " << holder << " " << product << " " << period);
    throw;
}

// Two months of a tier-1 (D1) supplying a tier-2 (D2) and a terminal (T1).
BookBuilder two_months() {
    BookBuilder b;
    b.opening("D1", "P1", "2026-01", 100);
    b.shipment("S1", "2026-01-05", "D1", "P1", "L1", 50);
    b.flow("F1", "2026-01-10", "D1", "D2", "P1", "L1", 30);
    b.flow("F2", "2026-01-12", "D2", "T1", "P1", "L1", 10);
    b.shipment("S2", "2026-02-01", "D1", "P1", "L2", 20);
    b.flow("F3", "2026-02-03", "D2", "T1", "P1", "L1", -2);  // a return
    b.flow("F4", "2026-02-15", "D1", "T1", "P1", "L2", 25);
    b.stock("R1", "2026-02-15", "D1", "P1", "L1", 100);
    b.stock("R1", "2026-02-15", "D1", "P1", "L2", 15);
    return b;
}

}  // namespace

TEST_CASE("ledger: a hand-worked case, period by period") {
    auto b = two_months();
    auto ledger = build_ledger(b.book, book_master());

    // D1 P1, January: 100 opening + 50 shipped − 30 sold to D2 = 120.
    auto& d1_jan = line(ledger, b, "D1", "P1", "2026-01");
    CHECK(d1_jan.opening == 100);
    CHECK(d1_jan.inbound == 50);
    CHECK(d1_jan.outbound == 30);
    CHECK(d1_jan.closing == 120);
    // February opens with January's closing: 120 + 20 − 25 = 115.
    auto& d1_feb = line(ledger, b, "D1", "P1", "2026-02");
    CHECK(d1_feb.opening == 120);
    CHECK(d1_feb.inbound == 20);
    CHECK(d1_feb.outbound == 25);
    CHECK(d1_feb.closing == 115);
    // The report's two lots add up to 115, the ledger's stock that evening.
    REQUIRE(d1_feb.last_report);
    CHECK(d1_feb.last_report->reported == 115);
    CHECK(d1_feb.last_report->ledger == 115);
    CHECK(d1_feb.last_report->variance() == 0);

    // D2: a tier-2's inbound is what the tier-1 sold it; a return nets out.
    auto& d2_jan = line(ledger, b, "D2", "P1", "2026-01");
    CHECK(d2_jan.inbound == 30);
    CHECK(d2_jan.outbound == 10);
    CHECK(d2_jan.closing == 20);
    auto& d2_feb = line(ledger, b, "D2", "P1", "2026-02");
    CHECK(d2_feb.opening == 20);
    CHECK(d2_feb.outbound == -2);
    CHECK(d2_feb.closing == 22);
    CHECK_FALSE(d2_feb.last_report);
}

TEST_CASE("ledger: what terminals bought and the channel's stock per product") {
    auto b = two_months();
    auto january = terminal_purchases(b.book, book_master(), *parse_period("2026-01"));
    REQUIRE(january.size() == 1);
    CHECK(january[0].terminal == b.intern("T1"));
    CHECK(january[0].product == b.intern("P1"));
    CHECK(january[0].qty == 10);
    auto february = terminal_purchases(b.book, book_master(), *parse_period("2026-02"));
    REQUIRE(february.size() == 1);
    CHECK(february[0].qty == 23);  // 25 bought, 2 returned

    auto ledger = build_ledger(b.book, book_master());

    REQUIRE(ledger.channel.size() == 2);
    CHECK(ledger.channel[0].closing == 140);  // 120 at D1, 20 at D2
    CHECK(ledger.channel[1].closing == 137);  // 115 + 22
}

TEST_CASE("ledger: quiet months carry the balance forward through the requested period") {
    BookBuilder b;
    b.shipment("S1", "2026-01-05", "D1", "P1", "L1", 50);
    auto ledger = build_ledger(b.book, book_master(), *parse_period("2026-04"));
    REQUIRE(ledger.lines.size() == 4);
    for (const auto& l : ledger.lines) CHECK(l.closing == 50);
    CHECK(ledger.lines[3].opening == 50);
    CHECK(ledger.lines[3].inbound == 0);
}

TEST_CASE("ledger: a row booked after its period closed counts where it was booked") {
    BookBuilder b;
    b.shipment("S1", "2026-01-05", "D1", "P1", "L1", 50);
    b.flow("F1", "2026-01-20", "D1", "T1", "P1", "L1", 8, "2026-02-01");
    auto ledger = build_ledger(b.book, book_master());
    CHECK(line(ledger, b, "D1", "P1", "2026-01").closing == 50);
    CHECK(line(ledger, b, "D1", "P1", "2026-02").outbound == 8);
}

TEST_CASE("ledger: parties and products the master data does not know have no ledger") {
    BookBuilder b;
    b.shipment("S1", "2026-01-05", "D9", "P1", "L1", 50);
    b.shipment("S2", "2026-01-05", "D1", "P9", "L1", 50);
    auto ledger = build_ledger(b.book, book_master());
    CHECK(ledger.lines.empty());
}

TEST_CASE("ledger: a sum that does not fit in 64 bits is an error, never a wrapped number") {
    // Rows stored before quantities were bounded: two near the limit and 12.
    BookBuilder b;
    b.shipment("S1", "2026-01-05", "D1", "P1", "L1", 9223372036854775807);
    b.shipment("S2", "2026-01-06", "D1", "P1", "L1", 9223372036854775807);
    b.shipment("S3", "2026-01-07", "D1", "P1", "L1", 12);
    CHECK_THROWS_AS(build_ledger(b.book, book_master()), QuantityOverflow);
    CHECK_THROWS_WITH(build_ledger(b.book, book_master()), doctest::Contains("64 bits"));
}
