#pragma once
// What one decoded barcode says: a retail GTIN (EAN/UPC, ITF-14), a GS1
// element string (GTIN, lot, expiry, serial...), a Chinese drug traceability
// code, or something else that is kept raw with the reason it was not
// understood — never "fixed", never dropped.

#include <optional>
#include <string>
#include <string_view>

#include "core/drug_trace_code.h"
#include "core/gs1.h"
#include "core/master_data.h"

namespace fieldflow::core {

// databar is GS1 DataBar Omnidirectional or Stacked (a GTIN), databar_expanded
// DataBar Expanded or Expanded Stacked (an element string); a scan engine's
// ]e0 does not tell them apart and is taken as databar.
enum class Symbology {
    ean13,
    upca,
    ean8,
    code128,
    datamatrix,
    qr,
    itf,
    databar,
    databar_expanded,
    unknown
};

std::string_view name(Symbology symbology);
Symbology symbology_named(std::string_view name);

enum class ContentKind { retail_code, gs1, drug_trace_code, raw };
std::string_view name(ContentKind kind);

// A leading AIM symbology identifier ("]C1", "]d2", "]E0", ...), as hardware
// scan engines send it: what it says and how long it is.
struct AimPrefix {
    Symbology symbology = Symbology::unknown;
    bool gs1 = false;
    std::size_t length = 0;  // 0 when the text has none
};
AimPrefix aim_prefix(std::string_view text);

struct ScanContent {
    ContentKind kind = ContentKind::raw;
    Symbology symbology = Symbology::unknown;
    std::string text;  // exactly as read, AIM prefix and GS characters included

    std::optional<std::string> gtin;  // 14 digits
    std::optional<std::string> lot;
    std::optional<std::string> serial;
    std::optional<Gs1Date> expiry;
    std::optional<std::string> sscc;
    std::optional<long long> count;
    std::optional<DrugTraceCode> drug_code;
    std::string problem;  // why the content is raw

    // The identity of one physical pack, when the code is serialised
    // (a GTIN with a serial, or a traceability code); empty otherwise.
    std::string pack_identity() const;
};

// `symbology` as the reader reported it (unknown for a keyboard-wedge
// scanner, whose AIM prefix, if any, is read from the text).
ScanContent classify(std::string_view text, Symbology symbology, int reference_year);

// The product a scan names: by GTIN (products.csv gtin, 8–14 digits) or by
// the traceability code's prefix; null when master data has none.
const Product* product_for(const MasterData& master, const ScanContent& content);

}  // namespace fieldflow::core
