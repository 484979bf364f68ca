#pragma once
// What the distribution books say about the channel, in the form the
// gateway asks while judging a field record: a distributor's stock of a
// product at the end of a day, whether it ever received a lot, what a
// terminal was ever delivered and by whom. Built once from the books and
// kept current as the gateway books uploaded flows and stock reports.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/calendar.h"
#include "core/distribution_book.h"
#include "core/master_data.h"

namespace fieldflow::core {

class ChannelFacts {
  public:
    // Stock is followed only for the distributors of `master`, which must
    // outlive this: a terminal's stock is not in the books.
    explicit ChannelFacts(const MasterData& master);
    // Everything in `book` too.
    ChannelFacts(const DistributionBook& book, const MasterData& master);

    // One more flow, as booked (uploads from the field). Texts are ids;
    // `lot` may be empty.
    void add_flow(std::string_view seller, std::string_view buyer, std::string_view product,
                  std::string_view lot, Day booked_day, std::int64_t qty);

    // A holder's stock of a product after everything booked up to and on
    // `day`; nullopt when the books have no movement of it at all.
    std::optional<std::int64_t> stock_at(std::string_view holder, std::string_view product,
                                         Day day) const;
    // Whether `holder` ever received `lot` of `product`, by shipment or purchase.
    bool received(std::string_view holder, std::string_view product, std::string_view lot) const;
    // Whether any shipment or flow of `product` is in the books at all.
    bool knows_product(std::string_view product) const;
    // Net packs of `product` (of `lot`, when not empty) ever delivered to
    // `buyer`; nullopt when the books have no flow to it at all.
    std::optional<std::int64_t> delivered(std::string_view buyer, std::string_view product,
                                          std::string_view lot) const;
    // The distributors that ever sold to `buyer`.
    std::vector<std::string> sellers_to(std::string_view buyer) const;

  private:
    using Key = std::uint64_t;  // two interned names
    NameId name(std::string_view text);
    std::optional<NameId> find(std::string_view text) const;
    static Key key(NameId a, NameId b) { return Key(a) << 32 | b; }

    struct Triple {
        NameId a, b, c;
        bool operator==(const Triple&) const = default;
    };
    struct TripleHash {
        std::size_t operator()(const Triple& t) const {
            return std::hash<std::uint64_t>()(key(t.a, t.b) * 1000003u ^ t.c);
        }
    };

    void move(NameId holder, NameId product, Day day, std::int64_t qty);
    // The facts one row adds, in our own names.
    void shipment(NameId distributor, NameId product, NameId lot, Day day, std::int64_t qty);
    void flow(NameId seller, NameId buyer, NameId product, NameId lot, Day day, std::int64_t qty);

    const MasterData* master_;
    std::vector<bool> holder_;  // by name: a distributor of the master data
    Names names_;
    std::unordered_map<Key, std::map<Day, std::int64_t>> changes_;  // (holder, product): per day
    std::unordered_set<Triple, TripleHash> received_;               // (holder, product, lot)
    std::unordered_set<NameId> products_;
    std::unordered_map<Key, std::int64_t> delivered_;                     // (buyer, product)
    std::unordered_map<Triple, std::int64_t, TripleHash> delivered_lot_;  // (buyer, product, lot)
    std::unordered_map<NameId, std::unordered_set<NameId>> sellers_;      // buyer -> sellers
};

}  // namespace fieldflow::core
