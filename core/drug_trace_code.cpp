#include "core/drug_trace_code.h"

#include "core/check_digit.h"

namespace fieldflow::core {

DrugTraceParse parse_drug_trace_code(std::string_view text) {
    if (text.size() != 20)
        return {std::nullopt,
                "a drug traceability code has 20 digits, this has " + std::to_string(text.size())};
    if (!all_digits(text)) return {std::nullopt, "a drug traceability code is digits only"};
    return {DrugTraceCode{std::string(text.substr(0, 7)), std::string(text.substr(7, 9)),
                          std::string(text.substr(16, 4))},
            {}};
}

const Product* product_for(const MasterData& master, const DrugTraceCode& code) {
    for (const auto& [id, product] : master.products)
        if (product.drug_code_prefix == code.prefix) return &product;
    return nullptr;
}

}  // namespace fieldflow::core
