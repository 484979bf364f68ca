#include "core/record.h"

#include "core/overloaded.h"

namespace fieldflow::core {

std::string_view kind_name(const Payload& payload) {
    return std::visit(
        Overloaded{
            [](const CheckIn&) { return std::string_view("check_in"); },
            [](const StockCount&) { return std::string_view("stock_count"); },
            [](const CheckOut&) { return std::string_view("check_out"); },
            [](const Scan&) { return std::string_view("scan"); },
            [](const TerminalSales&) { return std::string_view("terminal_sales"); },
            [](const Purchase&) { return std::string_view("purchase"); },
            [](const Promotion&) { return std::string_view("promotion"); },
            [](const Display&) { return std::string_view("display"); },
            [](const Competitor&) { return std::string_view("competitor"); },
            [](const DistributorStock&) { return std::string_view("distributor_stock"); },
            [](const FlowReport&) { return std::string_view("flow"); },
            [](const UnsupportedPayload&) { return std::string_view("unsupported"); },
        },
        payload);
}

std::string_view photo_sha256(const Payload& payload) {
    if (const auto* in = std::get_if<CheckIn>(&payload)) return in->photo_sha256;
    if (const auto* display = std::get_if<Display>(&payload)) return display->photo_sha256;
    return {};
}

std::optional<std::string> visit_terminal(const Payload& payload) {
    if (const auto* in = std::get_if<CheckIn>(&payload)) return in->terminal;
    if (const auto* out = std::get_if<CheckOut>(&payload)) return out->terminal;
    return std::nullopt;
}

std::optional<std::string> terminal_of(const Payload& payload) {
    return std::visit(
        [](const auto& r) -> std::optional<std::string> {
            if constexpr (requires { r.terminal; })
                return r.terminal;
            else
                return std::nullopt;
        },
        payload);
}

}  // namespace fieldflow::core
