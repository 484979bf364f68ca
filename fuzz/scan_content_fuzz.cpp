// A code as a scan engine or a camera reads it: the first byte picks the
// symbology the reader reported, the rest is the text. Exercises the GS1
// element string parser (raw and bracketed), the traceability code, AIM
// prefixes and check digits, through the classification the agent and the
// gateway both use.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/drug_trace_code.h"
#include "core/gs1.h"
#include "core/scan_content.h"

using namespace fieldflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static const char* const symbologies[] = {"ean13",      "ean8", "upca", "code128",
                                              "datamatrix", "qr",   "itf",  "unknown"};
    auto symbology = core::symbology_named(symbologies[data[0] % 8]);
    std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    auto content = core::classify(text, symbology, 2026);
    (void)content.pack_identity();
    core::parse_gs1(text, 2026);
    core::parse_drug_trace_code(text);
    core::aim_prefix(text);
    if (text.size() >= 6) core::gs1_date(text.substr(0, 6), 2026);
    return 0;
}
