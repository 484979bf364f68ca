#include "core/ledger_json.h"

namespace fieldflow::core {

std::vector<nlohmann::ordered_json> holder_rows(const Ledger& ledger, const DistributionBook& book,
                                                Period period, const Tolerance& tolerance) {
    auto text = [&](NameId id) { return book.names.text(id); };
    std::vector<nlohmann::ordered_json> rows;
    for (const auto& l : ledger.lines) {
        if (l.period != period) continue;
        nlohmann::ordered_json row{{"holder", text(l.holder)}, {"product", text(l.product)},
                                   {"opening", l.opening},     {"inbound", l.inbound},
                                   {"outbound", l.outbound},   {"closing", l.closing},
                                   {"last_reported", nullptr}, {"reported_on", nullptr},
                                   {"variance", nullptr},      {"off_books", false}};
        if (l.last_report) {
            row["last_reported"] = l.last_report->reported;
            row["reported_on"] = format_date(l.last_report->day);
            row["variance"] = l.last_report->variance();
            row["off_books"] = tolerance.exceeded(l.last_report->reported, l.last_report->ledger);
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace fieldflow::core
