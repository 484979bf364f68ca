#include "core/record.h"

#include "core/overloaded.h"

namespace fieldflow::core {

std::string_view kind_name(const Payload& payload) {
    return std::visit(Overloaded{
                          [](const CheckIn&) { return std::string_view("check_in"); },
                          [](const StockCount&) { return std::string_view("stock_count"); },
                          [](const CheckOut&) { return std::string_view("check_out"); },
                          [](const Scan&) { return std::string_view("scan"); },
                          [](const UnsupportedPayload&) { return std::string_view("unsupported"); },
                      },
                      payload);
}

}  // namespace fieldflow::core
