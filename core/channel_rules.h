#pragma once
// Field records judged against the distribution books: a distributor's
// reported stock against its ledger, a terminal's counted stock against what
// was ever delivered to it, a scanned lot against the channel that serves
// the terminal, and a flow row uploaded from the field by the same rules
// the anomaly scan applies to imported ones (core/anomalies.cpp).

#include <optional>
#include <string>
#include <vector>

#include "core/anomalies.h"
#include "core/channel_facts.h"
#include "core/master_data.h"
#include "core/reason.h"
#include "core/record.h"
#include "core/scan_content.h"

namespace fieldflow::core {

// Whether `seller` may sell to the buyer (a terminal or a distributor):
// one of its territories covers one of the buyer's places.
bool authorised_sale(const Distributor& seller, const Terminal* terminal,
                     const Distributor* distributor);

// A distributor's reported stock against its ledger at the end of that day.
std::optional<Reason> stock_matches_books(const DistributorStock& report, const ChannelFacts& facts,
                                          const Tolerance& tolerance);

// A terminal cannot hold more of a product (or lot) than was ever delivered
// to it; judged only when the books have flows to that terminal at all.
std::optional<Reason> count_within_deliveries(const StockCount& count, const ChannelFacts& facts,
                                              const Tolerance& tolerance);

// A scanned lot must have reached one of the distributors serving the
// terminal: those that sold to it, and those whose territory covers it.
// Judged only for a code with a lot, of a product the books know.
std::optional<Reason> lot_came_through_channel(const std::string& terminal,
                                               const ScanContent& content, const MasterData& master,
                                               const ChannelFacts& facts);

// A flow row from the field. `facts` may be null (no books loaded).
Verdict flow_rules(const FlowReport& flow, const MasterData& master, const Rep* rep,
                   const ChannelFacts* facts);

}  // namespace fieldflow::core
