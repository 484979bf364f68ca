#include "core/ledger.h"

#include <algorithm>
#include <map>

namespace fieldflow::core {

std::optional<Period> last_period(const DistributionBook& book) {
    std::optional<Day> last;
    auto see = [&](Day day) {
        if (!last || day > *last) last = day;
    };
    for (const auto& s : book.shipments) see(s.booked_day);
    for (const auto& f : book.flows) see(f.booked_day);
    for (const auto& r : book.stock) see(r.day);
    std::optional<Period> period;
    if (last) period = period_of(*last);
    for (const auto& o : book.openings)
        if (!period || o.period > *period) period = o.period;
    return period;
}

namespace {

// Names in the order of their text, for sorting reports without comparing strings.
std::vector<std::uint32_t> text_ranks(const Names& names) {
    std::vector<NameId> order(names.bound());
    for (NameId id = 0; id < order.size(); ++id) order[id] = id;
    std::sort(order.begin(), order.end(),
              [&](NameId a, NameId b) { return names.text(a) < names.text(b); });
    std::vector<std::uint32_t> rank(order.size());
    for (std::uint32_t r = 0; r < order.size(); ++r) rank[order[r]] = r;
    return rank;
}

}  // namespace

Ledger build_ledger(const DistributionBook& book, const MasterData& master,
                    std::optional<Period> through) {
    Ledger ledger;
    auto last = through ? through : last_period(book);
    if (!last) return ledger;

    BookParties parties(book.names, master);
    Histories histories(book, parties);
    std::map<std::pair<NameId, Period>, std::int64_t> channel;
    histories.for_each([&](const History& history) {
        walk_history(
            book, history, *last, [](const Movement&, std::int64_t, std::int64_t) {},
            [](const StockCheck&) {},
            [&](const LedgerLine& line) {
                ledger.lines.push_back(line);
                add_checked(channel[{line.product, line.period}], line.closing, "channel stock");
            });
    });
    auto rank = text_ranks(book.names);
    for (const auto& [key, closing] : channel)
        ledger.channel.push_back({key.first, key.second, closing});
    std::stable_sort(ledger.channel.begin(), ledger.channel.end(),
                     [&](const ChannelStock& a, const ChannelStock& b) {
                         return rank[a.product] < rank[b.product];
                     });
    return ledger;
}

std::vector<TerminalPurchases> terminal_purchases(const DistributionBook& book,
                                                  const MasterData& master, Period period) {
    BookParties parties(book.names, master);
    Day first = first_day(period), last = last_day(period);
    std::map<std::pair<NameId, NameId>, std::int64_t> bought;
    for (const auto& f : book.flows)
        if (f.booked_day >= first && f.booked_day <= last && parties.terminal[f.buyer] &&
            parties.product[f.product])
            add_checked(bought[{f.buyer, f.product}], f.qty, "terminal purchases");
    auto rank = text_ranks(book.names);
    std::vector<TerminalPurchases> all;
    for (const auto& [key, qty] : bought) all.push_back({key.first, key.second, period, qty});
    std::sort(all.begin(), all.end(), [&](const TerminalPurchases& a, const TerminalPurchases& b) {
        return std::pair(rank[a.terminal], rank[a.product]) <
               std::pair(rank[b.terminal], rank[b.product]);
    });
    return all;
}

}  // namespace fieldflow::core
