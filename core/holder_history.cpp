#include "core/holder_history.h"

#include <algorithm>

namespace fieldflow::core {

BookParties::BookParties(const Names& names, const MasterData& master)
    : distributor(names.bound()), terminal(names.bound()), product(names.bound()) {
    for (NameId id = 1; id < names.bound(); ++id) {
        const std::string& text = names.text(id);
        distributor[id] = master.distributor(text);
        terminal[id] = master.terminal(text);
        product[id] = master.product(text);
    }
}

namespace {

constexpr std::uint32_t none = UINT32_MAX;

// Dense numbers for the names that pass `known`, in the order of their text
// so that histories come out sorted for reports.
template <class T>
std::vector<std::uint32_t> dense(const Names& names, const std::vector<const T*>& known,
                                 std::vector<NameId>& back) {
    for (NameId id = 1; id < known.size(); ++id)
        if (known[id]) back.push_back(id);
    std::sort(back.begin(), back.end(),
              [&](NameId a, NameId b) { return names.text(a) < names.text(b); });
    std::vector<std::uint32_t> forward(known.size(), none);
    for (std::uint32_t i = 0; i < back.size(); ++i) forward[back[i]] = i;
    return forward;
}

bool booked_before(const Movement& a, const Movement& b) {
    if (a.day != b.day) return a.day < b.day;
    if (a.type != b.type) return a.type < b.type;
    return a.index < b.index;
}

}  // namespace

Histories::Histories(const DistributionBook& book, const BookParties& parties) {
    auto holder = dense(book.names, parties.distributor, holders_);
    auto product = dense(book.names, parties.product, products_);
    std::size_t product_count = std::max<std::size_t>(products_.size(), 1);
    auto key = [&](NameId h, NameId p) -> std::size_t {
        if (holder[h] == none || product[p] == none) return SIZE_MAX;
        return std::size_t(holder[h]) * product_count + product[p];
    };

    // Each movement is offered twice, once to count and once to place, type
    // by type, so that each group holds one run per type. Rows mostly arrive
    // in date order, which makes every run sorted already: merging the runs
    // is then linear, where sorting ten million movements is not.
    constexpr std::size_t types = 5;
    auto each = [&](auto&& emit) {
        for (std::uint32_t i = 0; i < book.openings.size(); ++i) {
            const auto& o = book.openings[i];
            emit(key(o.holder, o.product),
                 Movement{first_day(o.period), MoveType::opening, i, o.qty});
        }
        for (std::uint32_t i = 0; i < book.shipments.size(); ++i) {
            const auto& s = book.shipments[i];
            emit(key(s.distributor, s.product),
                 Movement{s.booked_day, MoveType::shipment_in, i, s.qty});
        }
        for (std::uint32_t i = 0; i < book.flows.size(); ++i) {
            const auto& f = book.flows[i];
            emit(key(f.buyer, f.product), Movement{f.booked_day, MoveType::flow_in, i, f.qty});
        }
        for (std::uint32_t i = 0; i < book.flows.size(); ++i) {
            const auto& f = book.flows[i];
            emit(key(f.seller, f.product), Movement{f.booked_day, MoveType::flow_out, i, -f.qty});
        }
        for (std::uint32_t i = 0; i < book.stock.size(); ++i) {
            const auto& r = book.stock[i];
            emit(key(r.holder, r.product), Movement{r.day, MoveType::stock_report, i, r.qty});
        }
    };

    std::size_t keys = holders_.size() * product_count;
    std::vector<std::size_t> runs(keys * types + 1, 0);  // (key, type) -> start, after the scan
    each([&](std::size_t k, const Movement& m) {
        if (k != SIZE_MAX) ++runs[k * types + std::size_t(m.type) + 1];
    });
    for (std::size_t r = 0; r + 1 < runs.size(); ++r) runs[r + 1] += runs[r];
    moves_.resize(runs.back());
    std::vector<std::size_t> next(runs.begin(), runs.end() - 1);
    each([&](std::size_t k, const Movement& m) {
        if (k != SIZE_MAX) moves_[next[k * types + std::size_t(m.type)]++] = m;
    });
    offsets_.resize(keys + 1);
    for (std::size_t k = 0; k <= keys; ++k) offsets_[k] = runs[k * types];
    for (std::size_t k = 0; k < keys; ++k) {
        auto at = [&](std::size_t r) { return moves_.begin() + runs[k * types + r]; };
        for (std::size_t t = 0; t < types; ++t)
            if (!std::is_sorted(at(t), at(t + 1), booked_before))
                std::sort(at(t), at(t + 1), booked_before);
        for (std::size_t t = 1; t < types; ++t)
            std::inplace_merge(at(0), at(t), at(t + 1), booked_before);
    }
}

}  // namespace fieldflow::core
