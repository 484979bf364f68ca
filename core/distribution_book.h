#pragma once
// The distribution books: the company's shipments to its distributors, the
// distributors' flow data (their sales to other distributors and to
// terminals), stock reports and opening balances, as the ledger and the
// anomaly scan read them. Rows carry interned ids (core/names.h) and the
// store's row number, so that a finding can name the row it came from.

#include <cstdint>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/names.h"

namespace fieldflow::core {

using RowId = std::int64_t;

// A row dated in a period that was already closed when it arrived is booked
// on the first day of the next open period (`booked_day`); otherwise the two
// days are the same.
struct Shipment {
    RowId row = 0;
    Day day = 0;
    Day booked_day = 0;
    NameId distributor = Names::empty, product = Names::empty, lot = Names::empty;
    Day expiry = 0;
    std::int64_t qty = 0;
};

// A distributor's sale; a negative quantity is a return from the buyer.
struct Flow {
    RowId row = 0;
    Day day = 0;
    Day booked_day = 0;
    NameId seller = Names::empty, buyer = Names::empty, product = Names::empty, lot = Names::empty;
    std::int64_t qty = 0;
};

// One line of a stock report: what a holder said it had of a product (and
// lot, when given) at the end of a day. A report's lines of one product add up.
struct StockReport {
    RowId row = 0;
    Day day = 0;
    Day booked_day = 0;  // differs from `day` only when it came after its period closed
    NameId report = Names::empty, holder = Names::empty, product = Names::empty, lot = Names::empty;
    std::int64_t qty = 0;
};

// A holder's balance of a product at the start of a period, before any
// movement is known.
struct Opening {
    NameId holder = Names::empty, product = Names::empty;
    Period period = 0;
    std::int64_t qty = 0;
};

// A flow row whose id had been imported before with other content. It is
// kept aside, not booked: the first content stands until someone adjusts it.
struct FlowConflict {
    RowId row = 0;
    RowId first_row = 0;
    Day day = 0;
};

struct DistributionBook {
    Names names;
    std::vector<Shipment> shipments;
    std::vector<Flow> flows;
    std::vector<StockReport> stock;
    std::vector<Opening> openings;
    std::vector<FlowConflict> flow_conflicts;
};

// The kinds of row a finding can point at.
enum class RowKind { shipment, flow, flow_conflict, stock };

std::string_view name(RowKind kind);

// How a finding names its row to people: the id the row carried in its file.
class RecordIds {
  public:
    virtual ~RecordIds() = default;
    virtual std::string id(RowKind kind, RowId row) const = 0;
};

}  // namespace fieldflow::core
