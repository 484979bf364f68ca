#include "core/report_rules.h"

#include <algorithm>
#include <chrono>

#include "core/overloaded.h"
#include "core/territory.h"
#include "core/visit_rules.h"

namespace fieldflow::core {

std::optional<Reason> distributor_known(const MasterData& master, const std::string& distributor) {
    if (master.distributor(distributor)) return std::nullopt;
    return Reason{ReasonCode::unknown_distributor,
                  "distributor \"" + distributor + "\" is not in distributors.csv"};
}

std::optional<Reason> valid_date(std::string_view text, std::string_view field) {
    auto bad =
        Reason{ReasonCode::invalid_field,
               std::string(field) + " is not a date YYYY-MM-DD: \"" + std::string(text) + "\""};
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad;
    auto digits = [&](std::size_t from, std::size_t n) {
        int v = 0;
        for (std::size_t i = from; i < from + n; ++i) {
            if (text[i] < '0' || text[i] > '9') return -1;
            v = v * 10 + (text[i] - '0');
        }
        return v;
    };
    int y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
    if (y < 0 || m < 0 || d < 0) return bad;
    using namespace std::chrono;
    if (!year_month_day{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}}
             .ok())
        return bad;
    return std::nullopt;
}

std::optional<Reason> date_order(std::string_view start, std::string_view end) {
    if (start <= end) return std::nullopt;  // ISO dates order as text
    return Reason{ReasonCode::invalid_field, "the period ends (" + std::string(end) +
                                                 ") before it starts (" + std::string(start) + ")"};
}

std::optional<Reason> not_negative(std::int64_t value, std::string_view field) {
    if (value >= 0) return std::nullopt;
    return Reason{ReasonCode::invalid_field,
                  std::string(field) + " " + std::to_string(value) + " is negative"};
}

std::optional<Reason> one_of(std::string_view value, const std::vector<std::string_view>& allowed,
                             std::string_view field) {
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return std::nullopt;
    std::string list;
    for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    return Reason{ReasonCode::invalid_field,
                  std::string(field) + " \"" + std::string(value) + "\" is not one of " + list};
}

std::optional<Reason> sha256_hex(std::string_view text) {
    bool hex = std::all_of(text.begin(), text.end(),
                           [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
    if (text.empty() || (text.size() == 64 && hex)) return std::nullopt;
    return Reason{ReasonCode::invalid_field, "the photo's hash is not 64 lowercase hex digits"};
}

std::optional<Reason> may_report_for(const Rep& rep, const Distributor& distributor) {
    if (rep.role != RepRole::commercial)
        return Reason{ReasonCode::outside_territory, "rep " + rep.id + " is not a commercial rep"};
    for (const auto& t : distributor.territories)
        if (covers(rep.territory, t) || covers(t, rep.territory)) return std::nullopt;
    return Reason{ReasonCode::outside_territory, "distributor " + distributor.id +
                                                     " is outside rep " + rep.id + "'s territory " +
                                                     rep.territory};
}

Verdict validate_report(const Payload& payload, const MasterData& master, const Rep* rep) {
    Verdict v;
    auto quantity = [&](std::int64_t qty) { v.add(quantity_not_negative(qty)); };
    std::visit(Overloaded{
                   [&](const TerminalSales& s) {
                       v.add(product_known(master, s.product));
                       quantity(s.qty);
                       if (!s.since.empty()) v.add(valid_date(s.since, "since"));
                   },
                   [&](const Purchase& p) {
                       v.add(product_known(master, p.product));
                       quantity(p.qty);
                       v.add(distributor_known(master, p.supplier));
                   },
                   [&](const Promotion& p) {
                       v.add(product_known(master, p.product));
                       v.add(one_of(p.kind, {"discount", "gift", "bundle", "member_price", "other"},
                                    "kind"));
                       v.add(not_negative(p.price_fen, "price"));
                       auto start = valid_date(p.start, "start"), end = valid_date(p.end, "end");
                       v.add(start);
                       v.add(end);
                       if (!start && !end) v.add(date_order(p.start, p.end));
                   },
                   [&](const Display& d) {
                       v.add(product_known(master, d.product));
                       v.add(not_negative(d.facings, "facings"));
                       v.add(one_of(d.shelf_position,
                                    {"eye", "top", "middle", "bottom", "counter", "end_cap"},
                                    "shelf position"));
                       v.add(sha256_hex(d.photo_sha256));
                   },
                   [&](const Competitor& c) {
                       if (c.brand.empty())
                           v.add(ReasonCode::invalid_field, "the competitor's brand is empty");
                       v.add(not_negative(c.price_fen, "price"));
                   },
                   [&](const DistributorStock& s) {
                       v.add(product_known(master, s.product));
                       quantity(s.qty);
                       v.add(valid_date(s.date, "date"));
                       const Distributor* distributor = master.distributor(s.distributor);
                       if (!distributor) return v.add(distributor_known(master, s.distributor));
                       if (rep) v.add(may_report_for(*rep, *distributor));
                   },
                   [](const auto&) {},
               },
               payload);
    return v;
}

}  // namespace fieldflow::core
