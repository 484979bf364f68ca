#include "core/ledger.h"

#include <map>
#include <tuple>
#include <unordered_map>

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

Ledger build_ledger(const DistributionBook& book, const MasterData& master,
                    std::optional<Period> through) {
    Ledger ledger;
    auto last = through ? through : last_period(book);
    if (!last) return ledger;

    BookParties parties(book.names, master);
    Histories histories(book, parties);
    std::map<std::pair<std::string_view, Period>, std::int64_t> channel;
    histories.for_each([&](const History& history) {
        walk_history(
            book, history, *last, [](const Movement&, std::int64_t, std::int64_t) {},
            [](const StockCheck&) {},
            [&](const LedgerLine& line) {
                ledger.lines.push_back(line);
                channel[{book.names.text(line.product), line.period}] += line.closing;
            });
    });
    for (const auto& [key, closing] : channel)
        ledger.channel.push_back({*book.names.find(key.first), key.second, closing});

    struct Key {
        NameId terminal, product;
        Period period;
        bool operator==(const Key&) const = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& k) const {
            return std::hash<std::uint64_t>()((std::uint64_t(k.terminal) << 32 | k.product) * 31 +
                                              std::uint64_t(k.period));
        }
    };
    std::unordered_map<Key, std::int64_t, KeyHash> bought;
    for (const auto& f : book.flows)
        if (parties.terminal[f.buyer] && parties.product[f.product])
            bought[{f.buyer, f.product, period_of(f.booked_day)}] += f.qty;
    for (const auto& [key, qty] : bought)
        ledger.terminal_purchases.push_back({key.terminal, key.product, key.period, qty});
    auto text = [&](NameId id) -> const std::string& { return book.names.text(id); };
    std::sort(ledger.terminal_purchases.begin(), ledger.terminal_purchases.end(),
              [&](const TerminalPurchases& a, const TerminalPurchases& b) {
                  return std::forward_as_tuple(text(a.terminal), text(a.product), a.period) <
                         std::forward_as_tuple(text(b.terminal), text(b.product), b.period);
              });
    return ledger;
}

}  // namespace fieldflow::core
