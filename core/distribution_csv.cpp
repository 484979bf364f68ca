#include "core/distribution_csv.h"

#include "core/csv.h"
#include "core/text_encoding.h"

namespace fieldflow::core {

namespace {

constexpr std::pair<ImportKind, std::string_view> kind_names[] = {
    {ImportKind::shipments, "shipments"},
    {ImportKind::flows, "flows"},
    {ImportKind::stock, "stock"},
    {ImportKind::opening, "opening"},
};

// An id: present, and UTF-8 (a GBK file read as UTF-8 fails here).
std::string id(const std::string& text, const char* column) {
    csv::required(text, column);
    if (!valid_utf8(text))
        throw csv::FieldError(std::string(column) +
                              " is not UTF-8 text (a GBK file needs --encoding gbk)");
    return text;
}

std::string optional_id(const std::string& text, const char* column) {
    return text.empty() ? text : id(text, column);
}

Day date(const std::string& text, const char* column) {
    if (auto day = parse_date(text)) return *day;
    throw csv::FieldError(std::string(column) + " is not a date (YYYY-MM-DD): \"" + text + "\"");
}

std::int64_t quantity(const std::string& text, bool (*allowed)(std::int64_t), const char* rule) {
    std::int64_t qty = csv::to_integer(text, "qty");
    if (!quantity_in_range(qty))
        throw csv::FieldError("qty out of range: " + text + " (at most " +
                              std::to_string(max_quantity) + " either way)");
    if (!allowed(qty)) throw csv::FieldError("qty " + text + " " + rule);
    return qty;
}

}  // namespace

std::string_view name(ImportKind kind) {
    for (const auto& [k, n] : kind_names)
        if (k == kind) return n;
    return "unknown";
}

std::optional<ImportKind> import_kind_from_name(std::string_view text) {
    for (const auto& [k, n] : kind_names)
        if (n == text) return k;
    return std::nullopt;
}

void read_distribution_csv(ImportKind kind, std::istream& in, const std::string& file,
                           const RowHandlers& handlers, std::vector<LoadError>& errors) {
    switch (kind) {
        case ImportKind::shipments:
            csv::read_table<7>(
                in, file,
                {"shipment_id", "date", "distributor_id", "product_id", "lot", "expiry", "qty"},
                [&](const csv::Row<7>& f, unsigned line) {
                    handlers.shipment(ShipmentRow{
                        id(f[0], "shipment_id"), date(f[1], "date"), id(f[2], "distributor_id"),
                        id(f[3], "product_id"), id(f[4], "lot"), date(f[5], "expiry"),
                        quantity(
                            f[6], [](std::int64_t q) { return q > 0; }, "is not positive"),
                        line});
                },
                errors);
            return;
        case ImportKind::flows:
            csv::read_table<7>(
                in, file, {"flow_id", "date", "seller_id", "buyer_id", "product_id", "lot", "qty"},
                [&](const csv::Row<7>& f, unsigned line) {
                    handlers.flow(FlowRow{
                        id(f[0], "flow_id"), date(f[1], "date"), id(f[2], "seller_id"),
                        id(f[3], "buyer_id"), id(f[4], "product_id"), optional_id(f[5], "lot"),
                        quantity(
                            f[6], [](std::int64_t q) { return q != 0; }, "is zero"),
                        line});
                },
                errors);
            return;
        case ImportKind::stock:
            csv::read_table<6>(
                in, file, {"report_id", "date", "holder_id", "product_id", "lot", "qty"},
                [&](const csv::Row<6>& f, unsigned line) {
                    handlers.stock(
                        StockRow{id(f[0], "report_id"), date(f[1], "date"), id(f[2], "holder_id"),
                                 id(f[3], "product_id"), optional_id(f[4], "lot"),
                                 quantity(
                                     f[5], [](std::int64_t q) { return q >= 0; }, "is negative"),
                                 line});
                },
                errors);
            return;
        case ImportKind::opening:
            csv::read_table<4>(
                in, file, {"holder_id", "product_id", "period", "qty"},
                [&](const csv::Row<4>& f, unsigned line) {
                    auto period = parse_period(f[2]);
                    if (!period)
                        throw csv::FieldError("period is not a month (YYYY-MM): \"" + f[2] + "\"");
                    handlers.opening(
                        OpeningRow{id(f[0], "holder_id"), id(f[1], "product_id"), *period,
                                   quantity(
                                       f[3], [](std::int64_t q) { return q >= 0; }, "is negative"),
                                   line});
                },
                errors);
            return;
    }
}

}  // namespace fieldflow::core
