#pragma once
// The ledger of one period as rows, one per holder and product, for the
// operators: the CLI prints them as CSV or JSON, the dashboard shows them.

#include <nlohmann/json.hpp>

#include <vector>

#include "core/anomalies.h"
#include "core/calendar.h"
#include "core/distribution_book.h"
#include "core/ledger.h"

namespace fieldflow::core {

// Keys, in this order: holder, product, opening, inbound, outbound,
// closing, last_reported, reported_on, variance (null without a stock
// report), off_books (the variance is beyond `tolerance`).
std::vector<nlohmann::ordered_json> holder_rows(const Ledger& ledger, const DistributionBook& book,
                                                Period period, const Tolerance& tolerance = {});

}  // namespace fieldflow::core
