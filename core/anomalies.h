#pragma once
// What is wrong in the distribution books, row by row: sales outside the
// seller's territory (窜货), stock that cannot have been there, lots that
// never arrived, rows sent twice, parties and products nobody knows, stock
// reports the ledger disagrees with, and rows that came after their period
// was closed. Each finding names the row and says why in words.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/distribution_book.h"
#include "core/master_data.h"

namespace fieldflow::core {

enum class AnomalyReason {
    diversion,
    negative_stock,
    lot_not_received,
    duplicate,
    unknown_party,
    unknown_product,
    stock_variance,
    closed_period,
};

std::string_view name(AnomalyReason reason);
std::optional<AnomalyReason> anomaly_reason_from_name(std::string_view text);

// A reported stock is off when it differs from the ledger by more than
// `units` and by more than `percent` of the ledger's stock.
struct Tolerance {
    std::int64_t units = 2;
    double percent = 5;
    bool exceeded(std::int64_t reported, std::int64_t ledger) const;
};

struct Anomaly {
    RowKind kind = RowKind::flow;
    RowId row = 0;
    Period period = 0;  // the period the row is booked in
    AnomalyReason reason = AnomalyReason::duplicate;
    std::string record_id;
    std::string detail;
};

// Every finding, ordered by period, kind and row.
std::vector<Anomaly> find_anomalies(const DistributionBook& book, const MasterData& master,
                                    const RecordIds& ids, const Tolerance& tolerance = {});

}  // namespace fieldflow::core
