#include "core/channel_rules.h"

#include <doctest/doctest.h>

#include "core/book_builder.h"
#include "core/visit_rules.h"

using namespace fieldflow::core;
using fieldflow::test::book_master;
using fieldflow::test::BookBuilder;

namespace {

// D1 received lot L1 of P1 and sold to D2 (tier 2) and to T1; D2 sold to T1.
struct Channel {
    MasterData master = book_master();
    BookBuilder b;
    ChannelFacts facts{master};
    Channel() {
        b.opening("D1", "P1", "2026-03", 10);
        b.shipment("S1", "2026-03-02", "D1", "P1", "L1", 100);
        b.flow("F1", "2026-03-05", "D1", "D2", "P1", "L1", 40);
        b.flow("F2", "2026-03-06", "D2", "T1", "P1", "L1", 12);
        b.flow("F3", "2026-03-07", "D2", "T1", "P1", "L1", -2);
        facts = ChannelFacts(b.book, master);
    }
};

ScanContent gs1(const std::string& lot) {
    ScanContent c;
    c.kind = ContentKind::gs1;
    c.gtin = "06901234000016";
    c.lot = lot;
    return c;
}

}  // namespace

TEST_CASE("channel facts: stock by day, lots received, deliveries") {
    Channel c;
    CHECK(c.facts.stock_at("D1", "P1", *parse_date("2026-03-01")) == 10);
    CHECK(c.facts.stock_at("D1", "P1", *parse_date("2026-03-05")) == 70);
    CHECK(c.facts.stock_at("D2", "P1", *parse_date("2026-03-31")) == 30);
    CHECK_FALSE(c.facts.stock_at("D3", "P1", *parse_date("2026-03-31")));
    CHECK_FALSE(c.facts.stock_at("T1", "P1", *parse_date("2026-03-31")));  // terminals: no ledger
    CHECK(c.facts.received("D2", "P1", "L1"));
    CHECK_FALSE(c.facts.received("D3", "P1", "L1"));
    CHECK(c.facts.delivered("T1", "P1", "") == 10);
    CHECK(c.facts.delivered("T1", "P1", "L1") == 10);
    CHECK(c.facts.delivered("T1", "P2", "") == 0);
    CHECK_FALSE(c.facts.delivered("T2", "P1", ""));
    CHECK(c.facts.sellers_to("T1") == std::vector<std::string>{"D2"});

    c.facts.add_flow("D1", "T1", "P1", "L1", *parse_date("2026-03-10"), 5);
    CHECK(c.facts.stock_at("D1", "P1", *parse_date("2026-03-31")) == 65);
    CHECK(c.facts.sellers_to("T1") == std::vector<std::string>{"D1", "D2"});
}

TEST_CASE("channel rules: a distributor's stock report against its ledger") {
    Channel c;
    DistributorStock right{"D2", "P1", "", 30, "2026-03-31", "R1"};
    CHECK_FALSE(stock_matches_books(right, c.facts, {}));
    DistributorStock off = right;
    off.qty = 40;
    auto reason = stock_matches_books(off, c.facts, {});
    REQUIRE(reason);
    CHECK(reason->code == ReasonCode::stock_variance);
    CHECK(reason->detail.find("its ledger has 30") != std::string::npos);
    DistributorStock unknown_holder = right;
    unknown_holder.distributor = "D3";  // no books for it: nothing to compare
    CHECK_FALSE(stock_matches_books(unknown_holder, c.facts, {}));
}

TEST_CASE("channel rules: a terminal cannot hold more than was delivered to it") {
    Channel c;
    CHECK_FALSE(count_within_deliveries({"T1", "P1", "", 10, false}, c.facts, {}));
    CHECK_FALSE(count_within_deliveries({"T1", "P1", "", 12, false}, c.facts, {}));  // tolerance
    auto reason = count_within_deliveries({"T1", "P1", "L1", 30, false}, c.facts, {});
    REQUIRE(reason);
    CHECK(reason->code == ReasonCode::stock_variance);
    CHECK(reason->detail.find("only 10 ever delivered") != std::string::npos);
    CHECK_FALSE(count_within_deliveries({"T2", "P1", "", 30, false}, c.facts, {}));  // no flows
}

TEST_CASE("channel rules: a scanned lot that never reached the terminal's distributors") {
    Channel c;
    c.master.products["P1"].gtin = "06901234000016";
    CHECK_FALSE(lot_came_through_channel("T1", gs1("L1"), c.master, c.facts));
    auto reason = lot_came_through_channel("T1", gs1("L9"), c.master, c.facts);
    REQUIRE(reason);
    CHECK(reason->code == ReasonCode::diversion);
    CHECK(reason->detail.find("D1, D2") != std::string::npos);  // D2 sold to it, D1 covers it
    CHECK_FALSE(lot_came_through_channel("T1", gs1(""), c.master, c.facts));
}

TEST_CASE("channel rules: a flow from the field is judged like an imported one") {
    Channel c;
    const Rep* none = nullptr;
    FlowReport sale{"F9", "2026-03-20", "D1", "T1", "P1", "L1", 5};
    CHECK(flow_rules(sale, c.master, none, &c.facts).reasons.empty());

    FlowReport diverted = sale;
    diverted.buyer = "T2";
    CHECK(flow_rules(diverted, c.master, none, &c.facts).has(ReasonCode::diversion));

    FlowReport foreign_lot = sale;
    foreign_lot.lot = "L9";
    CHECK(flow_rules(foreign_lot, c.master, none, &c.facts).has(ReasonCode::lot_not_received));

    FlowReport oversold = sale;
    oversold.qty = 71;  // D1 holds 70 on the 20th
    auto v = flow_rules(oversold, c.master, none, &c.facts);
    CHECK(v.has(ReasonCode::negative_stock));
    CHECK(v.outcome() == Outcome::flagged);

    FlowReport unknown_seller = sale;
    unknown_seller.seller = "D9";
    CHECK(flow_rules(unknown_seller, c.master, none, &c.facts).outcome() == Outcome::rejected);

    FlowReport zero = sale;
    zero.qty = 0;
    CHECK(flow_rules(zero, c.master, none, &c.facts).has(ReasonCode::invalid_field));

    FlowReport huge = sale;
    huge.qty = 9223372036854775807;
    auto refused = flow_rules(huge, c.master, none, &c.facts);
    CHECK(refused.outcome() == Outcome::rejected);
    REQUIRE(refused.reasons.size() == 1);
    CHECK(refused.reasons[0].detail == "qty out of range: 9223372036854775807");
}
