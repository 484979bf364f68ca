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
        throw csv::FieldError(
            "not_utf8",
            std::string(column) + " is not UTF-8 text (a GBK file needs --encoding gbk)",
            csv::chinese_column(column) + "不是 UTF-8 文本（GBK 文件请选 GBK 编码）");
    return text;
}

std::string optional_id(const std::string& text, const char* column) {
    return text.empty() ? text : id(text, column);
}

Day date(const std::string& text, const char* column) {
    if (auto day = parse_date(text)) return *day;
    throw csv::FieldError(
        "not_a_date", std::string(column) + " is not a date (YYYY-MM-DD): \"" + text + "\"",
        csv::chinese_column(column) + "“" + text + "”不是有效日期（应为 YYYY-MM-DD）");
}

// A quantity the row's kind does not allow: its code, and the rule in both languages.
struct QtyRule {
    bool (*allowed)(std::int64_t);
    const char* code;
    const char* english;
    const char* chinese;
};
constexpr QtyRule positive{[](std::int64_t q) { return q > 0; }, "qty_not_positive",
                           "is not positive", "数量须大于 0："};
constexpr QtyRule not_zero{[](std::int64_t q) { return q != 0; }, "qty_zero", "is zero",
                           "数量不能为 0："};
constexpr QtyRule not_negative{[](std::int64_t q) { return q >= 0; }, "qty_negative", "is negative",
                               "数量不能为负："};

std::int64_t quantity(const std::string& text, const QtyRule& rule) {
    std::int64_t qty = csv::to_integer(text, "qty");
    if (!quantity_in_range(qty))
        throw csv::FieldError(
            "qty_out_of_range",
            "qty out of range: " + text + " (at most " + std::to_string(max_quantity) +
                " either way)",
            "数量超出范围：" + text + "（正负均不超过 " + std::to_string(max_quantity) + "）");
    if (!rule.allowed(qty))
        throw csv::FieldError(rule.code, "qty " + text + " " + rule.english, rule.chinese + text);
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
                        quantity(f[6], positive), line});
                },
                errors);
            return;
        case ImportKind::flows:
            csv::read_table<7>(
                in, file, {"flow_id", "date", "seller_id", "buyer_id", "product_id", "lot", "qty"},
                [&](const csv::Row<7>& f, unsigned line) {
                    handlers.flow(FlowRow{id(f[0], "flow_id"), date(f[1], "date"),
                                          id(f[2], "seller_id"), id(f[3], "buyer_id"),
                                          id(f[4], "product_id"), optional_id(f[5], "lot"),
                                          quantity(f[6], not_zero), line});
                },
                errors);
            return;
        case ImportKind::stock:
            csv::read_table<6>(
                in, file, {"report_id", "date", "holder_id", "product_id", "lot", "qty"},
                [&](const csv::Row<6>& f, unsigned line) {
                    handlers.stock(StockRow{id(f[0], "report_id"), date(f[1], "date"),
                                            id(f[2], "holder_id"), id(f[3], "product_id"),
                                            optional_id(f[4], "lot"), quantity(f[5], not_negative),
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
                        throw csv::FieldError("not_a_month",
                                              "period is not a month (YYYY-MM): \"" + f[2] + "\"",
                                              "月份“" + f[2] + "”格式不对（应为 YYYY-MM）");
                    handlers.opening(OpeningRow{id(f[0], "holder_id"), id(f[1], "product_id"),
                                                *period, quantity(f[3], not_negative), line});
                },
                errors);
            return;
    }
}

}  // namespace fieldflow::core
