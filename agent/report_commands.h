#pragma once
// The visit report commands (巡店报告): terminal sales, purchases received,
// promotions, displays and competitors seen in the open visit, and a
// commercial rep's report of a distributor's stock.

#include <cstdint>
#include <ostream>
#include <string>

#include "agent/outbox.h"
#include "core/record.h"

namespace fieldflow::agent {

// The largest price a rep can type, in yuan.
inline constexpr double max_price_yuan = 1e9;

// "12.5" yuan as 1250 fen.
std::int64_t fen(double yuan);

// Names the photo in `display` and keeps its SHA-256, so the gateway can
// tell the photo it receives later is the one taken in the store. Throws
// Refused when the file cannot be read.
void attach_photo(core::Display& display, const std::string& path);

// Saves a report made in the open visit, with the visit's terminal, and
// says so on `out` ("promotion saved (record 7)").
std::uint64_t save_visit_report(Outbox& outbox, core::Payload report, std::ostream& out);

// Saves a report that needs no visit (a distributor's stock).
std::uint64_t save_report(Outbox& outbox, const core::Payload& report, std::ostream& out);

}  // namespace fieldflow::agent
