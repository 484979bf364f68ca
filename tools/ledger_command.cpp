// `fieldflow ledger --period YYYY-MM --db DB --master DIR`: the purchase–
// sales–stock ledger of every distributor and product for one month, with
// the last stock it reported and how far that is from the ledger; or what
// each terminal bought (--view terminals), or the channel's stock per
// product (--view channel).

#include <nlohmann/json.hpp>

#include <iostream>

#include "core/ledger.h"
#include "core/ledger_json.h"
#include "store/distribution_store.h"
#include "tools/commands.h"
#include "tools/csv_output.h"
#include "tools/workbook_output.h"

namespace fieldflow::tools {

namespace {

using json = nlohmann::ordered_json;  // keys in the order of the CSV columns

// Prints `rows` (each a JSON object with the keys of `columns`, in order) as
// CSV with a header, or as one JSON array.
void print(const std::vector<const char*>& columns, const std::vector<json>& rows, bool as_csv) {
    if (!as_csv) {
        std::cout << json(rows).dump(1) << '\n';
        return;
    }
    for (std::size_t i = 0; i < columns.size(); ++i) std::cout << (i ? "," : "") << columns[i];
    std::cout << '\n';
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const json& value = row[columns[i]];
            std::cout << (i ? "," : "")
                      << (value.is_null()     ? std::string()
                          : value.is_string() ? csv_field(value.get<std::string>())
                                              : value.dump());
        }
        std::cout << '\n';
    }
}

}  // namespace

int ledger_command(const LedgerOptions& o) {
    const std::string& format = o.format;
    const std::string& view = o.view;
    if (!workbook_wanted("ledger", format, o.out)) return 2;
    if (!existing_store("ledger", o.db)) return 1;
    auto master = master_data("ledger", o.master);
    if (!master) return 2;

    store::DistributionStore store(o.db);
    auto book = store.load();
    core::Ledger ledger;
    if (view != "terminals") ledger = core::build_ledger(book, *master, o.period);
    auto text = [&](core::NameId id) { return book.names.text(id); };
    std::vector<json> rows;
    if (view == "holders") {
        auto holders = core::holder_rows(ledger, book, o.period);
        if (format == "xlsx") return write_workbook("ledger", "ledger", holders, o.out);
        print({"holder", "product", "opening", "inbound", "outbound", "closing", "last_reported",
               "reported_on", "variance"},
              holders, format == "csv");
    } else if (view == "terminals") {
        for (const auto& t : core::terminal_purchases(book, *master, o.period))
            rows.push_back(
                {{"terminal", text(t.terminal)}, {"product", text(t.product)}, {"qty", t.qty}});
        if (format == "xlsx") return write_workbook("ledger", "terminal_purchases", rows, o.out);
        print({"terminal", "product", "qty"}, rows, format == "csv");
    } else {
        for (const auto& c : ledger.channel)
            if (c.period == o.period)
                rows.push_back({{"product", text(c.product)}, {"channel_stock", c.closing}});
        if (format == "xlsx") return write_workbook("ledger", "channel", rows, o.out);
        print({"product", "channel_stock"}, rows, format == "csv");
    }
    return 0;
}

}  // namespace fieldflow::tools
