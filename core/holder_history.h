#pragma once
// Every movement of each distributor's stock of each product, in the order
// the ledger books them: by day; within a day the opening balance, then
// what came in, then what went out, then the stock reported at the end of
// the day. Built once for ten million rows, so it is one flat array grouped
// by a counting sort rather than a map of vectors.

#include <cstdint>
#include <span>
#include <vector>

#include "core/distribution_book.h"
#include "core/master_data.h"

namespace fieldflow::core {

// Master data seen through a book's interned ids.
struct BookParties {
    BookParties(const Names& names, const MasterData& master);
    std::vector<const Distributor*> distributor;
    std::vector<const Terminal*> terminal;
    std::vector<const Product*> product;
};

enum class MoveType : std::uint8_t { opening, shipment_in, flow_in, flow_out, stock_report };

struct Movement {
    Day day = 0;
    MoveType type = MoveType::opening;
    std::uint32_t index = 0;  // into the book's vector of that type
    std::int64_t qty = 0;     // signed as the holder sees it: out is negative
};

struct History {
    NameId holder = Names::empty, product = Names::empty;
    std::span<const Movement> moves;
};

// Only known distributors and known products have histories: the stock of a
// party or product the master data does not know means nothing.
class Histories {
  public:
    Histories(const DistributionBook& book, const BookParties& parties);

    template <class Visit>
    void for_each(Visit&& visit) const {
        for (std::size_t key = 0; key + 1 < offsets_.size(); ++key) {
            if (offsets_[key] == offsets_[key + 1]) continue;
            visit(History{holders_[key / products_.size()], products_[key % products_.size()],
                          std::span<const Movement>(moves_.data() + offsets_[key],
                                                    offsets_[key + 1] - offsets_[key])});
        }
    }

  private:
    std::vector<NameId> holders_, products_;  // dense index -> name
    std::vector<std::size_t> offsets_;        // per (holder, product), into moves_
    std::vector<Movement> moves_;
};

}  // namespace fieldflow::core
