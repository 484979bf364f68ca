#pragma once
// The purchase–sales–stock ledger (进销存) of each distributor: for every
// product and period, opening + inbound − outbound = closing, and the
// closing of one period is the opening of the next. Inbound is what the
// company shipped to it and what other distributors sold it; outbound is
// its own sales, returns netted out. Also what each terminal bought, and the
// whole channel's stock per product.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/quantity.h"
#include "core/distribution_book.h"
#include "core/holder_history.h"
#include "core/master_data.h"

namespace fieldflow::core {

// A stock report of one product against the ledger's stock at the end of
// the report's day. The report's lines (one per lot) are added up.
struct StockCheck {
    NameId report = Names::empty;
    Day day = 0;
    std::uint32_t first_line = 0;  // into the book's stock reports
    std::int64_t reported = 0;
    std::int64_t ledger = 0;
    std::int64_t variance() const { return reported - ledger; }
};

struct LedgerLine {
    NameId holder = Names::empty, product = Names::empty;
    Period period = 0;
    std::int64_t opening = 0, inbound = 0, outbound = 0, closing = 0;
    std::optional<StockCheck> last_report;  // the period's last stock report
};

struct TerminalPurchases {
    NameId terminal = Names::empty, product = Names::empty;
    Period period = 0;
    std::int64_t qty = 0;
};

struct ChannelStock {
    NameId product = Names::empty;
    Period period = 0;
    std::int64_t closing = 0;  // all distributors together
};

struct Ledger {
    std::vector<LedgerLine> lines;      // by holder, product, period
    std::vector<ChannelStock> channel;  // by product, period
};

// Lines run from each history's first period through `through`, or through
// the last period any row is booked in.
Ledger build_ledger(const DistributionBook& book, const MasterData& master,
                    std::optional<Period> through = std::nullopt);

// What each terminal bought of each product in `period`, returns netted
// out, by terminal and product.
std::vector<TerminalPurchases> terminal_purchases(const DistributionBook& book,
                                                  const MasterData& master, Period period);

// The last period any row of the book is booked or dated in.
std::optional<Period> last_period(const DistributionBook& book);

// Walks one history in booking order. `on_move(move, before, after)` sees
// every movement with the stock around it; `on_check(check)` every stock
// report; `on_line(line)` every period from the first through `through`.
template <class OnMove, class OnCheck, class OnLine>
void walk_history(const DistributionBook& book, const History& history, Period through,
                  OnMove&& on_move, OnCheck&& on_check, OnLine&& on_line) {
    if (history.moves.empty()) return;
    auto start = [&](Period period, std::int64_t opening) {
        LedgerLine fresh;
        fresh.holder = history.holder;
        fresh.product = history.product;
        fresh.period = period;
        fresh.opening = opening;
        return fresh;
    };
    LedgerLine line = start(period_of(history.moves.front().day), 0);
    std::int64_t stock = 0;
    Day period_end = last_day(line.period);
    std::vector<StockCheck> day_checks;  // reports of the current day, one per report

    auto flush_checks = [&] {
        for (auto& check : day_checks) {
            check.ledger = stock;
            on_check(check);
            line.last_report = check;  // days only grow: the latest report wins
        }
        day_checks.clear();
    };
    auto close_period = [&] {
        line.closing = stock;
        on_line(line);
        line = start(line.period + 1, stock);
        period_end = last_day(line.period);
    };

    for (const Movement& move : history.moves) {
        if (!day_checks.empty() && move.day != day_checks.front().day) flush_checks();
        while (move.day > period_end) close_period();
        std::int64_t before = stock;
        switch (move.type) {
            case MoveType::opening:
                add_checked(line.opening, move.qty, "opening stock");
                add_checked(stock, move.qty, "stock");
                break;
            case MoveType::shipment_in:
            case MoveType::flow_in:
                add_checked(line.inbound, move.qty, "inbound");
                add_checked(stock, move.qty, "stock");
                break;
            case MoveType::flow_out:
                subtract_checked(line.outbound, move.qty, "outbound");
                add_checked(stock, move.qty, "stock");
                break;
            case MoveType::stock_report: {
                NameId report = book.stock[move.index].report;
                auto same = std::find_if(day_checks.begin(), day_checks.end(),
                                         [&](const StockCheck& c) { return c.report == report; });
                if (same == day_checks.end())
                    day_checks.push_back({report, move.day, move.index, move.qty, 0});
                else
                    add_checked(same->reported, move.qty, "reported stock");
                continue;
            }
        }
        on_move(move, before, stock);
    }
    flush_checks();
    do close_period();
    while (line.period <= through);
}

}  // namespace fieldflow::core
