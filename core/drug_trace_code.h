#pragma once
// The 20-digit Chinese drug traceability code (药品追溯码, the successor of
// the 中国药品电子监管码), printed as Code 128 or DataMatrix on every sales
// unit: a 7-digit product identifier assigned per product and package
// specification, a 9-digit serial, and 4 verification digits computed by the
// issuing platform. docs/barcodes.md says what can be checked offline.

#include <optional>
#include <string>
#include <string_view>

#include "core/master_data.h"

namespace fieldflow::core {

struct DrugTraceCode {
    std::string prefix;        // digits 1-7: product identifier, products.csv drug_code_prefix
    std::string serial;        // digits 8-16: serial of the pack
    std::string verification;  // digits 17-20: issued with the code, not computable offline

    std::string text() const { return prefix + serial + verification; }
};

struct DrugTraceParse {
    std::optional<DrugTraceCode> code;
    std::string error;  // set when code is empty
};

DrugTraceParse parse_drug_trace_code(std::string_view text);

// The product whose drug_code_prefix is the code's prefix, or null.
const Product* product_for(const MasterData& master, const DrugTraceCode& code);

}  // namespace fieldflow::core
