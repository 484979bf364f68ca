#include "core/channel_rules.h"

#include <algorithm>

#include "core/quantity.h"
#include "core/report_rules.h"
#include "core/territory.h"

namespace fieldflow::core {

bool authorised_sale(const Distributor& seller, const Terminal* terminal,
                     const Distributor* distributor) {
    if (terminal) return covers_any(seller.territories, terminal->territory);
    if (!distributor) return false;
    for (const auto& place : distributor->territories)
        if (covers_any(seller.territories, place)) return true;
    return false;
}

std::optional<Reason> stock_matches_books(const DistributorStock& report, const ChannelFacts& facts,
                                          const Tolerance& tolerance) {
    auto day = parse_date(report.date);
    if (!day) return std::nullopt;  // an invalid date is its own reason
    auto ledger = facts.stock_at(report.distributor, report.product, *day);
    if (!ledger || !tolerance.exceeded(report.qty, *ledger)) return std::nullopt;
    return Reason{ReasonCode::stock_variance, report.distributor + " reported " +
                                                  std::to_string(report.qty) + " of " +
                                                  report.product + " on " + report.date +
                                                  "; its ledger has " + std::to_string(*ledger)};
}

std::optional<Reason> count_within_deliveries(const StockCount& count, const ChannelFacts& facts,
                                              const Tolerance& tolerance) {
    auto delivered = facts.delivered(count.terminal, count.product, count.lot);
    if (!delivered || count.qty <= *delivered || !tolerance.exceeded(count.qty, *delivered))
        return std::nullopt;
    return Reason{ReasonCode::stock_variance,
                  "counted " + std::to_string(count.qty) + " of " + count.product +
                      (count.lot.empty() ? "" : " lot " + count.lot) + " at " + count.terminal +
                      ", but the flow data shows only " + std::to_string(*delivered) +
                      " ever delivered to it"};
}

std::optional<Reason> lot_came_through_channel(const std::string& terminal,
                                               const ScanContent& content, const MasterData& master,
                                               const ChannelFacts& facts) {
    const Product* product = product_for(master, content);
    if (!product || !content.lot || content.lot->empty() || !facts.knows_product(product->id))
        return std::nullopt;
    std::vector<std::string> serving = facts.sellers_to(terminal);
    if (const Terminal* t = master.terminal(terminal))
        for (const auto& [id, d] : master.distributors)
            if (covers_any(d.territories, t->territory)) serving.push_back(id);
    std::sort(serving.begin(), serving.end());
    serving.erase(std::unique(serving.begin(), serving.end()), serving.end());
    for (const auto& d : serving)
        if (facts.received(d, product->id, *content.lot)) return std::nullopt;
    std::string names;
    for (const auto& d : serving) names += (names.empty() ? "" : ", ") + d;
    return Reason{ReasonCode::diversion,
                  "lot " + *content.lot + " of " + product->id +
                      " never reached a distributor serving " + terminal +
                      (names.empty() ? std::string(" (none known)") : " (" + names + ")")};
}

Verdict flow_rules(const FlowReport& flow, const MasterData& master, const Rep* rep,
                   const ChannelFacts* facts) {
    Verdict v;
    v.add(valid_date(flow.date, "date"));
    if (flow.flow_id.empty()) v.add(ReasonCode::invalid_field, "the flow has no id");
    if (flow.qty == 0) v.add(ReasonCode::invalid_field, "qty is zero");
    if (!quantity_in_range(flow.qty)) {
        v.add(ReasonCode::invalid_field, "qty out of range: " + std::to_string(flow.qty));
        return v;  // never summed into the books
    }
    const Distributor* seller = master.distributor(flow.seller);
    if (!seller) {
        v.add(distributor_known(master, flow.seller));
        return v;
    }
    if (rep) v.add(may_report_for(*rep, *seller));
    const Terminal* terminal = master.terminal(flow.buyer);
    const Distributor* distributor = master.distributor(flow.buyer);
    if (!terminal && !distributor)
        v.add(Reason{ReasonCode::unknown_terminal,
                     "buyer " + flow.buyer + " is neither a distributor nor a terminal",
                     Outcome::flagged});
    if (!master.product(flow.product))
        v.add(Reason{ReasonCode::unknown_product, flow.product + " is not in products.csv",
                     Outcome::flagged});
    if (flow.qty > 0 && (terminal || distributor) &&
        !authorised_sale(*seller, terminal, distributor))
        v.add(ReasonCode::diversion,
              "buyer " + flow.buyer + " is outside " + flow.seller + "'s territories");
    auto day = parse_date(flow.date);
    if (!facts || !day || flow.qty <= 0 || !master.product(flow.product)) return v;
    if (!flow.lot.empty() && !facts->received(flow.seller, flow.product, flow.lot))
        v.add(ReasonCode::lot_not_received,
              flow.seller + " never received lot " + flow.lot + " of " + flow.product);
    if (auto stock = facts->stock_at(flow.seller, flow.product, *day);
        stock && *stock >= 0 && *stock - flow.qty < 0)
        v.add(ReasonCode::negative_stock,
              flow.seller + " holds " + std::to_string(*stock) + " of " + flow.product + " on " +
                  flow.date + ", less than the " + std::to_string(flow.qty) + " sold");
    return v;
}

}  // namespace fieldflow::core
