// A distributor's file as `fieldflow import` and the agent's upload read
// it: the first byte picks the kind (shipments, flows, stock, opening) and
// the encoding (UTF-8 checked, or GBK converted), the rest is the file.

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "core/distribution_csv.h"
#include "core/text_encoding.h"

using namespace fieldflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static const core::ImportKind kinds[] = {core::ImportKind::shipments, core::ImportKind::flows,
                                             core::ImportKind::stock, core::ImportKind::opening};
    auto kind = kinds[data[0] % 4];
    std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
    if (data[0] & 4) {
        try {
            text = core::gbk_to_utf8(text);
        } catch (const core::EncodingError&) {
            return 0;  // reported with its byte offset, nothing read
        }
    } else if (!core::valid_utf8(text)) {
        return 0;  // refused before reading, as the importer does
    }
    std::istringstream in(text);
    std::vector<core::LoadError> errors;
    std::size_t rows = 0;
    core::RowHandlers handlers{
        [&](const core::ShipmentRow&) { ++rows; }, [&](const core::FlowRow&) { ++rows; },
        [&](const core::StockRow&) { ++rows; }, [&](const core::OpeningRow&) { ++rows; }};
    core::read_distribution_csv(kind, in, "fuzz.csv", handlers, errors);
    return 0;
}
