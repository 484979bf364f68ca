#pragma once
// Rules for the visit report kinds (terminal sales, purchases, promotions,
// displays, competitors) and for a commercial rep's distributor stock report.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/master_data.h"
#include "core/reason.h"
#include "core/record.h"

namespace fieldflow::core {

std::optional<Reason> distributor_known(const MasterData& master, const std::string& distributor);
// A calendar date written YYYY-MM-DD; `field` names it in the reason.
std::optional<Reason> valid_date(std::string_view text, std::string_view field);
std::optional<Reason> date_order(std::string_view start, std::string_view end);
std::optional<Reason> not_negative(std::int64_t value, std::string_view field);
std::optional<Reason> one_of(std::string_view value, const std::vector<std::string_view>& allowed,
                             std::string_view field);
// Empty, or 64 hex digits.
std::optional<Reason> sha256_hex(std::string_view text);
// Only commercial reps report distributors' stock, and only for distributors
// of their territory; otherwise the report is flagged, not lost.
std::optional<Reason> may_report_for(const Rep& rep, const Distributor& distributor);

// The report kinds' own rules, without the open-visit rule that they share.
Verdict validate_report(const Payload& payload, const MasterData& master, const Rep* rep);

}  // namespace fieldflow::core
