#include "core/anomalies.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "core/holder_history.h"
#include "core/ledger.h"
#include "core/channel_rules.h"

namespace fieldflow::core {

namespace {

constexpr std::array<std::pair<AnomalyReason, std::string_view>, 8> reason_names{{
    {AnomalyReason::diversion, "diversion"},
    {AnomalyReason::negative_stock, "negative_stock"},
    {AnomalyReason::lot_not_received, "lot_not_received"},
    {AnomalyReason::duplicate, "duplicate"},
    {AnomalyReason::unknown_party, "unknown_party"},
    {AnomalyReason::unknown_product, "unknown_product"},
    {AnomalyReason::stock_variance, "stock_variance"},
    {AnomalyReason::closed_period, "closed_period"},
}};

std::string signed_text(std::int64_t value) {
    std::string text = value > 0 ? "+" : "";
    text += std::to_string(value);
    return text;
}

class Finder {
  public:
    Finder(const DistributionBook& book, const MasterData& master, const RecordIds& ids,
           const Tolerance& tolerance)
        : book_(book), parties_(book.names, master), ids_(ids), tolerance_(tolerance) {}

    std::vector<Anomaly> run() {
        for (const auto& s : book_.shipments) check(s);
        for (const auto& f : book_.flows) check(f);
        for (const auto& r : book_.stock) check(r);
        for (const auto& c : book_.flow_conflicts)
            add(RowKind::flow_conflict, c.row, c.day, AnomalyReason::duplicate,
                "its flow id was imported before with other content (" +
                    describe(book_.flows, c.first_row) + "); the first content stands");
        check_histories();
        std::sort(found_.begin(), found_.end(), [](const Anomaly& a, const Anomaly& b) {
            return std::tie(a.period, a.kind, a.row, a.reason) <
                   std::tie(b.period, b.kind, b.row, b.reason);
        });
        return std::move(found_);
    }

  private:
    const std::string& text(NameId id) const { return book_.names.text(id); }

    void add(RowKind kind, RowId row, Day booked_day, AnomalyReason reason, std::string detail) {
        found_.push_back(
            {kind, row, period_of(booked_day), reason, ids_.id(kind, row), std::move(detail)});
    }

    // A flow by its content, for a finding about another row.
    std::string describe(const std::vector<Flow>& flows, RowId row) const {
        auto it = std::lower_bound(flows.begin(), flows.end(), row,
                                   [](const Flow& f, RowId r) { return f.row < r; });
        if (it == flows.end() || it->row != row) return "row " + std::to_string(row);
        return "flow " + ids_.id(RowKind::flow, row) + ": " + text(it->seller) + " to " +
               text(it->buyer) + ", " + text(it->product) + " lot " + text(it->lot) + ", " +
               std::to_string(it->qty) + " on " + format_date(it->day);
    }

    bool known_party(NameId id) const { return parties_.distributor[id] || parties_.terminal[id]; }

    void check_closed(RowKind kind, RowId row, Day day, Day booked_day) {
        if (day != booked_day)
            add(kind, row, booked_day, AnomalyReason::closed_period,
                "dated " + format_date(day) + " in closed period " + format_period(period_of(day)) +
                    "; booked in " + format_period(period_of(booked_day)) + " as an adjustment");
    }

    void check_product(RowKind kind, RowId row, Day booked_day, NameId product) {
        if (!parties_.product[product])
            add(kind, row, booked_day, AnomalyReason::unknown_product,
                "product \"" + text(product) + "\" is not in the master data");
    }

    void check(const Shipment& s) {
        if (!parties_.distributor[s.distributor])
            add(RowKind::shipment, s.row, s.booked_day, AnomalyReason::unknown_party,
                "distributor \"" + text(s.distributor) + "\" is not in the master data");
        check_product(RowKind::shipment, s.row, s.booked_day, s.product);
        check_closed(RowKind::shipment, s.row, s.day, s.booked_day);
    }

    void check(const StockReport& r) {
        if (!known_party(r.holder))
            add(RowKind::stock, r.row, r.booked_day, AnomalyReason::unknown_party,
                "holder \"" + text(r.holder) + "\" is neither a distributor nor a terminal");
        check_product(RowKind::stock, r.row, r.booked_day, r.product);
        check_closed(RowKind::stock, r.row, r.day, r.booked_day);
    }

    void check(const Flow& f) {
        if (!parties_.distributor[f.seller])
            add(RowKind::flow, f.row, f.booked_day, AnomalyReason::unknown_party,
                "seller \"" + text(f.seller) + "\" is not a distributor in the master data");
        if (!known_party(f.buyer))
            add(RowKind::flow, f.row, f.booked_day, AnomalyReason::unknown_party,
                "buyer \"" + text(f.buyer) + "\" is neither a distributor nor a terminal");
        check_product(RowKind::flow, f.row, f.booked_day, f.product);
        check_closed(RowKind::flow, f.row, f.day, f.booked_day);
        // A return undoes a sale that was judged when it was made.
        if (f.qty > 0 && !authorised(f.seller, f.buyer)) {
            const Distributor& seller = *parties_.distributor[f.seller];
            std::string seller_territories;
            for (const auto& t : seller.territories)
                seller_territories += (seller_territories.empty() ? "" : ";") + t;
            add(RowKind::flow, f.row, f.booked_day, AnomalyReason::diversion,
                "buyer " + text(f.buyer) + " in " + places(f.buyer) + " is outside seller " +
                    text(f.seller) + "'s territories " + seller_territories + " (" +
                    text(f.product) + " lot " + text(f.lot) + ", " + std::to_string(f.qty) + ")");
        }
    }

    std::string places(NameId party) const {
        if (const Terminal* t = parties_.terminal[party]) return t->territory;
        std::string all;
        for (const auto& t : parties_.distributor[party]->territories)
            all += (all.empty() ? "" : ";") + t;
        return all;
    }

    // True unless both parties are known and no territory of the seller
    // covers a place of the buyer. Pairs repeat, so each is judged once.
    bool authorised(NameId seller, NameId buyer) {
        const Distributor* from = parties_.distributor[seller];
        if (!from || !known_party(buyer)) return true;
        auto [it, fresh] = authorised_.try_emplace(std::uint64_t(seller) << 32 | buyer, false);
        if (fresh)
            it->second =
                authorised_sale(*from, parties_.terminal[buyer], parties_.distributor[buyer]);
        return it->second;
    }

    void check_histories() {
        Histories histories(book_, parties_);
        histories.for_each([&](const History& history) {
            check_lots(history);
            check_same_day_duplicates(history);
            walk_history(
                book_, history, period_of(history.moves.back().day),
                [&](const Movement& move, std::int64_t before, std::int64_t after) {
                    if (move.type != MoveType::flow_out || before < 0 || after >= 0) return;
                    const Flow& f = book_.flows[move.index];
                    add(RowKind::flow, f.row, f.booked_day, AnomalyReason::negative_stock,
                        text(f.seller) + "'s stock of " + text(f.product) + " went from " +
                            std::to_string(before) + " to " + std::to_string(after) + " on " +
                            format_date(f.booked_day));
                },
                [&](const StockCheck& check) {
                    if (!tolerance_.exceeded(check.reported, check.ledger)) return;
                    const StockReport& r = book_.stock[check.first_line];
                    add(RowKind::stock, r.row, r.booked_day, AnomalyReason::stock_variance,
                        text(r.holder) + " reported " + std::to_string(check.reported) + " of " +
                            text(r.product) + " at the end of " + format_date(check.day) +
                            "; the ledger has " + std::to_string(check.ledger) + " (" +
                            signed_text(check.variance()) + ")");
                },
                [](const LedgerLine&) {});
        });
    }

    // A lot sold that no shipment or purchase ever brought to the seller.
    void check_lots(const History& history) {
        std::vector<NameId> received;
        for (const Movement& m : history.moves) {
            if (m.type == MoveType::shipment_in) received.push_back(book_.shipments[m.index].lot);
            if (m.type == MoveType::flow_in && m.qty > 0)
                received.push_back(book_.flows[m.index].lot);
        }
        std::sort(received.begin(), received.end());
        for (const Movement& m : history.moves) {
            if (m.type != MoveType::flow_out || m.qty >= 0) continue;
            const Flow& f = book_.flows[m.index];
            if (f.lot == Names::empty ||
                std::binary_search(received.begin(), received.end(), f.lot))
                continue;
            add(RowKind::flow, f.row, f.booked_day, AnomalyReason::lot_not_received,
                text(f.seller) + " sold lot " + text(f.lot) + " of " + text(f.product) +
                    ", which no shipment or purchase brought to it");
        }
    }

    // Sales of one seller and product on one day with the same buyer, lot
    // and quantity under different ids: the later rows repeat the first.
    void check_same_day_duplicates(const History& history) {
        // Flows are in row order, so the index orders a day's repeats by row.
        struct Sale {
            NameId buyer, lot;
            std::int64_t qty;
            std::uint32_t index;
            bool operator<(const Sale& o) const {
                return std::tie(buyer, lot, qty, index) < std::tie(o.buyer, o.lot, o.qty, o.index);
            }
        };
        const auto& moves = history.moves;
        std::vector<Sale> day;
        for (std::size_t i = 0; i < moves.size();) {
            std::size_t j = i;
            day.clear();
            for (; j < moves.size() && moves[j].day == moves[i].day; ++j) {
                if (moves[j].type != MoveType::flow_out) continue;
                const Flow& f = book_.flows[moves[j].index];
                day.push_back({f.buyer, f.lot, f.qty, moves[j].index});
            }
            i = j;
            if (day.size() < 2) continue;
            std::sort(day.begin(), day.end());
            for (std::size_t k = 1, first = 0; k < day.size(); ++k) {
                const Sale& a = day[first];
                const Sale& b = day[k];
                if (a.buyer != b.buyer || a.lot != b.lot || a.qty != b.qty) {
                    first = k;
                    continue;
                }
                const Flow& repeat = book_.flows[b.index];
                add(RowKind::flow, repeat.row, repeat.booked_day, AnomalyReason::duplicate,
                    "same seller, buyer, product, lot, date and quantity as flow " +
                        ids_.id(RowKind::flow, book_.flows[a.index].row));
            }
        }
    }

    const DistributionBook& book_;
    BookParties parties_;
    const RecordIds& ids_;
    Tolerance tolerance_;
    std::unordered_map<std::uint64_t, bool> authorised_;
    std::vector<Anomaly> found_;
};

}  // namespace

std::string_view name(AnomalyReason reason) {
    for (const auto& [r, n] : reason_names)
        if (r == reason) return n;
    return "unknown";
}

std::optional<AnomalyReason> anomaly_reason_from_name(std::string_view text) {
    for (const auto& [r, n] : reason_names)
        if (n == text) return r;
    return std::nullopt;
}

bool Tolerance::exceeded(std::int64_t reported, std::int64_t ledger) const {
    double off = std::abs(double(reported - ledger));
    return off > double(units) && off > std::abs(double(ledger)) * percent / 100.0;
}

std::vector<Anomaly> find_anomalies(const DistributionBook& book, const MasterData& master,
                                    const RecordIds& ids, const Tolerance& tolerance) {
    return Finder(book, master, ids, tolerance).run();
}

}  // namespace fieldflow::core
