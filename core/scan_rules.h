#pragma once
// The rules a scanned code must satisfy. A scan is evidence that a pack was
// on a shelf, so nothing here rejects it: what is wrong is flagged for a
// reviewer, and the code is kept as read.

#include <optional>
#include <string>

#include "core/master_data.h"
#include "core/reason.h"
#include "core/scan_content.h"

namespace fieldflow::core {

std::optional<Reason> code_understood(const ScanContent& content);
std::optional<Reason> scanned_product_known(const MasterData& master, const ScanContent& content);
// `today` is the capture date: a pack past its expiry date on that day is flagged.
std::optional<Reason> not_expired(const ScanContent& content, const Gs1Date& today);
// `seen_at` is the terminal where this very pack was scanned before, if any.
std::optional<Reason> pack_not_seen_elsewhere(const ScanContent& content,
                                              const std::string& terminal,
                                              const std::optional<std::string>& seen_at);

// The capture date of a device timestamp (UTC).
Gs1Date date_of_ms(std::int64_t ms);

}  // namespace fieldflow::core
