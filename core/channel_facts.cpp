#include "core/channel_facts.h"

#include "core/quantity.h"

#include <algorithm>

namespace fieldflow::core {

ChannelFacts::ChannelFacts(const MasterData& master) : master_(&master) {}

ChannelFacts::ChannelFacts(const DistributionBook& book, const MasterData& master)
    : master_(&master) {
    // Re-intern through our own names so that later texts find the same numbers.
    std::vector<NameId> ours(book.names.bound());
    for (NameId id = 0; id < ours.size(); ++id) ours[id] = name(book.names.text(id));
    for (const auto& o : book.openings)
        move(ours[o.holder], ours[o.product], first_day(o.period), o.qty);
    for (const auto& s : book.shipments)
        shipment(ours[s.distributor], ours[s.product], ours[s.lot], s.booked_day, s.qty);
    for (const auto& f : book.flows)
        flow(ours[f.seller], ours[f.buyer], ours[f.product], ours[f.lot], f.booked_day, f.qty);
}

NameId ChannelFacts::name(std::string_view text) {
    NameId id = names_.intern(text);
    if (id >= holder_.size()) {
        holder_.resize(id + 1, false);
        holder_[id] = master_->distributor(std::string(text)) != nullptr;
    }
    return id;
}

std::optional<NameId> ChannelFacts::find(std::string_view text) const {
    return names_.find(text);
}

void ChannelFacts::move(NameId holder, NameId product, Day day, std::int64_t qty) {
    if (holder_[holder])
        add_checked(changes_[key(holder, product)][day], qty, "a day's stock change");
}

void ChannelFacts::shipment(NameId distributor, NameId product, NameId lot, Day day,
                            std::int64_t qty) {
    move(distributor, product, day, qty);
    received_.insert({distributor, product, lot});
    products_.insert(product);
}

void ChannelFacts::flow(NameId seller, NameId buyer, NameId product, NameId lot, Day day,
                        std::int64_t qty) {
    move(seller, product, day, -qty);
    move(buyer, product, day, qty);
    if (qty > 0) received_.insert({buyer, product, lot});
    products_.insert(product);
    add_checked(delivered_[key(buyer, product)], qty, "delivered stock");
    add_checked(delivered_lot_[{buyer, product, lot}], qty, "delivered stock of a lot");
    sellers_[buyer].insert(seller);
}

void ChannelFacts::add_flow(std::string_view seller, std::string_view buyer,
                            std::string_view product, std::string_view lot, Day booked_day,
                            std::int64_t qty) {
    flow(name(seller), name(buyer), name(product), name(lot), booked_day, qty);
}

std::optional<std::int64_t> ChannelFacts::stock_at(std::string_view holder,
                                                   std::string_view product, Day day) const {
    auto h = find(holder), p = find(product);
    if (!h || !p) return std::nullopt;
    auto it = changes_.find(key(*h, *p));
    if (it == changes_.end()) return std::nullopt;
    std::int64_t stock = 0;
    for (auto change = it->second.begin(); change != it->second.end() && change->first <= day;
         ++change)
        stock += change->second;
    return stock;
}

bool ChannelFacts::received(std::string_view holder, std::string_view product,
                            std::string_view lot) const {
    auto h = find(holder), p = find(product), l = find(lot);
    return h && p && l && received_.count({*h, *p, *l});
}

bool ChannelFacts::knows_product(std::string_view product) const {
    auto p = find(product);
    return p && products_.count(*p);
}

std::optional<std::int64_t> ChannelFacts::delivered(std::string_view buyer,
                                                    std::string_view product,
                                                    std::string_view lot) const {
    auto b = find(buyer);
    if (!b || !sellers_.count(*b)) return std::nullopt;
    auto p = find(product);
    if (!p) return 0;
    if (lot.empty()) {
        auto it = delivered_.find(key(*b, *p));
        return it == delivered_.end() ? 0 : it->second;
    }
    auto l = find(lot);
    if (!l) return 0;
    auto it = delivered_lot_.find({*b, *p, *l});
    return it == delivered_lot_.end() ? 0 : it->second;
}

std::vector<std::string> ChannelFacts::sellers_to(std::string_view buyer) const {
    std::vector<std::string> all;
    auto b = find(buyer);
    if (!b) return all;
    auto it = sellers_.find(*b);
    if (it == sellers_.end()) return all;
    for (NameId s : it->second) all.push_back(names_.text(s));
    std::sort(all.begin(), all.end());
    return all;
}

}  // namespace fieldflow::core
