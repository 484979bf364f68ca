#include "core/anomalies.h"

#include <doctest/doctest.h>

#include "core/book_builder.h"

using namespace fieldflow::core;
using fieldflow::test::book_master;
using fieldflow::test::BookBuilder;

namespace {

// D1 received lot L1 of P1 (100 packs) and sold some of it in its territory.
BookBuilder clean() {
    BookBuilder b;
    b.shipment("S1", "2026-03-02", "D1", "P1", "L1", 100);
    b.flow("F1", "2026-03-05", "D1", "D2", "P1", "L1", 40);
    b.flow("F2", "2026-03-06", "D2", "T1", "P1", "L1", 10);
    b.flow("F3", "2026-03-06", "D1", "T1", "P1", "L1", 10);
    b.stock("R1", "2026-03-31", "D1", "P1", "L1", 50);
    return b;
}

std::vector<Anomaly> scan(const BookBuilder& b, Tolerance tolerance = {}) {
    return find_anomalies(b.book, book_master(), b, tolerance);
}

void expect_one(const std::vector<Anomaly>& found, AnomalyReason reason, const char* record,
                const char* kind = "flow") {
    REQUIRE(found.size() == 1);
    CHECK(name(found[0].reason) == name(reason));
    CHECK(found[0].record_id == record);
    CHECK(name(found[0].kind) == kind);
    CHECK_FALSE(found[0].detail.empty());
}

}  // namespace

TEST_CASE("anomalies: a consistent book has none") {
    CHECK(scan(clean()).empty());
}

TEST_CASE("anomalies: diversion, a sale to a buyer outside the seller's territories") {
    auto b = clean();
    b.flow("F9", "2026-04-02", "D1", "T2", "P1", "L1", 5);  // T2 is in Zhejiang, D1 Shanghai only
    auto found = scan(b);
    expect_one(found, AnomalyReason::diversion, "F9");
    CHECK(found[0].detail.find("CN-ZJ-HZ") != std::string::npos);
}

TEST_CASE("anomalies: diversion to another distributor, and returns are not judged again") {
    auto b = clean();
    b.flow("F9", "2026-03-10", "D2", "D3", "P1", "L1", 5);  // D2 (Pudong) to D3 (Zhejiang)
    b.flow("F10", "2026-03-11", "D1", "T2", "P1", "L1", -1);
    expect_one(scan(b), AnomalyReason::diversion, "F9");
}

TEST_CASE("anomalies: negative stock names the flow that crossed zero, only that one") {
    auto b = clean();
    b.flow("F9", "2026-03-20", "D1", "T1", "P1", "L1", 45);  // 50 left: stays at 5
    b.flow("F10", "2026-03-21", "D1", "T1", "P1", "L1", 8);  // 5 -> -3
    b.flow("F11", "2026-03-22", "D1", "T1", "P1", "L1", 1);  // already below zero
    b.stock("R2", "2026-03-22", "D1", "P1", "L1", -4);       // agrees with the ledger
    auto found = scan(b);
    // The March-end report of 50 now disagrees with the ledger's -4: found too.
    REQUIRE(found.size() == 2);
    CHECK(name(found[0].reason) == "negative_stock");
    CHECK(found[0].record_id == "F10");
    CHECK(found[0].detail.find("from 5 to -3") != std::string::npos);
    CHECK(name(found[1].reason) == "stock_variance");
    CHECK(found[1].record_id == "R1");
}

TEST_CASE("anomalies: inbound on the same day is counted before the day's sales") {
    BookBuilder b;
    b.flow("F1", "2026-03-05", "D1", "T1", "P1", "L1", 10);
    b.shipment("S1", "2026-03-05", "D1", "P1", "L1", 10);
    CHECK(scan(b).empty());
}

TEST_CASE("anomalies: a lot the seller never received") {
    auto b = clean();
    b.flow("F9", "2026-04-02", "D1", "T1", "P1", "LX", 3);
    expect_one(scan(b), AnomalyReason::lot_not_received, "F9");
}

TEST_CASE("anomalies: a lot bought from another distributor counts as received") {
    auto b = clean();
    b.flow("F9", "2026-03-10", "D2", "T1", "P1", "L1", 3);  // D2 bought L1 from D1 in F1
    CHECK(scan(b).empty());
}

TEST_CASE("anomalies: the same sale twice under another id") {
    auto b = clean();
    b.flow("F9", "2026-03-06", "D1", "T1", "P1", "L1", 10);  // F3 again
    b.stock("R2", "2026-03-31", "D1", "P1", "L1", 40);
    auto found = scan(b);
    REQUIRE(found.size() == 2);  // and R1, written before F9 was known, is now off by 10
    CHECK(name(found[0].reason) == "duplicate");
    CHECK(found[0].record_id == "F9");
    CHECK(found[0].detail.find("flow F3") != std::string::npos);
}

TEST_CASE("anomalies: the same day and buyer with another quantity is not a duplicate") {
    auto b = clean();
    b.flow("F9", "2026-03-06", "D1", "T1", "P1", "L1", 2);  // R1 is now 2 off: tolerated
    CHECK(scan(b).empty());
}

TEST_CASE("anomalies: the same flow id with other content") {
    auto b = clean();
    b.conflict("F1", "2026-03-05", 2);
    auto found = scan(b);
    expect_one(found, AnomalyReason::duplicate, "F1");
    CHECK(found[0].detail.find("D1 to D2") != std::string::npos);
}

TEST_CASE("anomalies: unknown parties and products") {
    auto b = clean();
    b.flow("F9", "2026-03-10", "D1", "T9", "P1", "L1", 1);
    b.stock("R2", "2026-03-31", "D1", "P1", "L1", 49);
    expect_one(scan(b), AnomalyReason::unknown_party, "F9");

    auto c = clean();
    c.flow("F9", "2026-03-10", "D9", "T1", "P1", "L1", 1);
    expect_one(scan(c), AnomalyReason::unknown_party, "F9");

    auto d = clean();
    d.shipment("S9", "2026-03-10", "D1", "P7", "L1", 1);
    expect_one(scan(d), AnomalyReason::unknown_product, "S9", "shipment");

    auto e = clean();
    e.stock("R9", "2026-03-10", "X1", "P1", "", 1);
    expect_one(scan(e), AnomalyReason::unknown_party, "R9", "stock");
}

TEST_CASE("anomalies: stock variance beyond both the units and the percentage") {
    SUBCASE("3 off of 100 is within 5 %") {
        auto b = clean();
        b.stock("R2", "2026-03-02", "D1", "P1", "L1", 103);
        CHECK(scan(b).empty());
    }
    SUBCASE("3 off of 20 is 15 %") {
        auto b = clean();
        b.flow("F9", "2026-03-20", "D1", "T1", "P1", "L1", 30);
        b.stock("R2", "2026-03-20", "D1", "P1", "L1", 23);
        auto found = scan(b);
        REQUIRE(found.size() == 2);
        CHECK(found[1].record_id == "R2");
        CHECK(name(found[1].reason) == "stock_variance");
        CHECK(found[1].detail.find("(+3)") != std::string::npos);
    }
    SUBCASE("2 off is never enough with the default tolerance") {
        auto b = clean();
        b.flow("F9", "2026-03-20", "D1", "T1", "P1", "L1", 48);
        b.stock("R2", "2026-03-20", "D1", "P1", "L1", 0);
        b.stock("R3", "2026-03-31", "D1", "P1", "L1", 2);
        auto found = scan(b);
        REQUIRE(found.size() == 1);
        CHECK(found[0].record_id == "R1");
    }
    SUBCASE("the tolerance is configurable") {
        auto b = clean();
        b.stock("R2", "2026-03-31", "D1", "P1", "L1", 52);
        CHECK(scan(b).empty());
        CHECK(scan(b, Tolerance{1, 1}).size() == 1);
    }
}

TEST_CASE("anomalies: a terminal's stock report is not compared with any ledger") {
    auto b = clean();
    b.stock("R9", "2026-03-31", "T1", "P1", "L1", 999);
    CHECK(scan(b).empty());
}

TEST_CASE("anomalies: a row that came after its period closed") {
    auto b = clean();
    b.flow("F9", "2026-03-25", "D1", "T1", "P1", "L1", 1, "2026-04-01");
    auto found = scan(b);
    expect_one(found, AnomalyReason::closed_period, "F9");
    CHECK(format_period(found[0].period) == "2026-04");
    CHECK(found[0].detail.find("dated 2026-03-25 in closed period 2026-03") != std::string::npos);
}

TEST_CASE("anomalies: reason names round-trip") {
    for (auto reason :
         {AnomalyReason::diversion, AnomalyReason::negative_stock, AnomalyReason::lot_not_received,
          AnomalyReason::duplicate, AnomalyReason::unknown_party, AnomalyReason::unknown_product,
          AnomalyReason::stock_variance, AnomalyReason::closed_period})
        CHECK(anomaly_reason_from_name(name(reason)) == reason);
    CHECK_FALSE(anomaly_reason_from_name("nonsense"));
}
