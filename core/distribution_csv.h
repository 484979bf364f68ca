#pragma once
// The CSV files of the distribution books (docs/data-formats.md): the
// company's shipments, distributors' flow data, stock reports and opening
// balances. Each good row reaches the handler with its line number; each
// bad one becomes a LoadError naming the file, the line and what was wrong.

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/master_data.h"
#include "core/quantity.h"

namespace fieldflow::core {

enum class ImportKind { shipments, flows, stock, opening };

std::string_view name(ImportKind kind);
std::optional<ImportKind> import_kind_from_name(std::string_view text);

struct ShipmentRow {
    std::string shipment_id;
    Day day = 0;
    std::string distributor, product, lot;
    Day expiry = 0;
    std::int64_t qty = 0;  // > 0
    unsigned line = 0;
};

struct FlowRow {
    std::string flow_id;
    Day day = 0;
    std::string seller, buyer, product, lot;  // lot may be empty
    std::int64_t qty = 0;                     // not 0; negative for a return
    unsigned line = 0;
};

struct StockRow {
    std::string report_id;
    Day day = 0;
    std::string holder, product, lot;  // lot may be empty
    std::int64_t qty = 0;              // >= 0
    unsigned line = 0;
};

struct OpeningRow {
    std::string holder, product;
    Period period = 0;
    std::int64_t qty = 0;  // >= 0
    unsigned line = 0;
};

// One handler per kind; a reader calls the one for the kind it reads.
struct RowHandlers {
    std::function<void(const ShipmentRow&)> shipment;
    std::function<void(const FlowRow&)> flow;
    std::function<void(const StockRow&)> stock;
    std::function<void(const OpeningRow&)> opening;
};

// `in` holds UTF-8 text (a byte-order mark is skipped); `file` names it in errors.
void read_distribution_csv(ImportKind kind, std::istream& in, const std::string& file,
                           const RowHandlers& handlers, std::vector<LoadError>& errors);

}  // namespace fieldflow::core
