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

// Keeps a copy of the photo at `path` on the handheld (agent/kept_photo.h)
// and names it in the record with its SHA-256, so the gateway can tell the
// photo it receives later is the one taken in the store. Throws Refused
// when the file cannot be read or kept.
void attach_photo(Outbox& outbox, core::Display& display, const std::string& path);
void attach_photo(Outbox& outbox, core::CheckIn& check_in, const std::string& path);

// Saves a report made in the open visit, with the visit's terminal, and
// says so on `out` ("promotion saved (record 7)").
std::uint64_t save_visit_report(Outbox& outbox, core::Payload report, std::ostream& out);

// Saves a report that needs no visit (a distributor's stock).
std::uint64_t save_report(Outbox& outbox, const core::Payload& report, std::ostream& out);

}  // namespace fieldflow::agent
