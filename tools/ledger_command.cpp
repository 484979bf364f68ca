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

int ledger_command(const Args& args) {
    auto flags = parse_flags("ledger", args, {"db", "master", "period", "format", "view"});
    if (!flags.ok) return 2;
    std::string format = flags.get("format") ? *flags.get("format") : "csv";
    std::string view = flags.get("view") ? *flags.get("view") : "holders";
    if (format != "csv" && format != "json") {
        std::cerr << "fieldflow ledger: --format is csv or json, not \"" << format << "\"\n";
        return 2;
    }
    if (view != "holders" && view != "terminals" && view != "channel") {
        std::cerr << "fieldflow ledger: --view is holders, terminals or channel, not \"" << view
                  << "\"\n";
        return 2;
    }
    auto period = period_flag("ledger", flags);
    if (!period) return 2;
    auto db = existing_store("ledger", flags);
    if (db.empty()) return 1;
    auto master = master_data("ledger", flags);
    if (!master) return 2;

    store::DistributionStore store(db);
    auto book = store.load();
    core::Ledger ledger;
    if (view != "terminals") ledger = core::build_ledger(book, *master, *period);
    auto text = [&](core::NameId id) { return book.names.text(id); };
    std::vector<json> rows;
    if (view == "holders") {
        print({"holder", "product", "opening", "inbound", "outbound", "closing", "last_reported",
               "reported_on", "variance"},
              core::holder_rows(ledger, book, *period), format == "csv");
    } else if (view == "terminals") {
        for (const auto& t : core::terminal_purchases(book, *master, *period))
            rows.push_back(
                {{"terminal", text(t.terminal)}, {"product", text(t.product)}, {"qty", t.qty}});
        print({"terminal", "product", "qty"}, rows, format == "csv");
    } else {
        for (const auto& c : ledger.channel)
            if (c.period == *period)
                rows.push_back({{"product", text(c.product)}, {"channel_stock", c.closing}});
        print({"product", "channel_stock"}, rows, format == "csv");
    }
    return 0;
}

}  // namespace fieldflow::tools
