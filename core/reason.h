#pragma once
// Every reason a record can be flagged or rejected, in one place. The names
// are stable: they travel to agents, land in the store and appear in the
// operators' tools. docs/protocol.md lists them with their meaning.

#include <optional>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

namespace fieldflow::core {

enum class ReasonCode {
    // Rejected: the record cannot be booked as it stands.
    malformed_record,
    unsupported_kind,
    wrong_device,
    sequence_reused,
    unknown_rep,
    unknown_terminal,
    unknown_product,
    negative_quantity,
    unknown_distributor,
    invalid_field,
    // Flagged: booked, but a reviewer should look.
    outside_territory,
    outside_geofence,
    unmatched_checkout,
    no_open_visit,
    unparsed_code,
    expired,
    duplicate_serial,
    stale_fix,
    low_accuracy,
    unknown_correction,
    // Flagged against the distribution books (docs/distribution.md).
    stock_variance,
    diversion,
    lot_not_received,
    negative_stock,
};

enum class Outcome { accepted, flagged, rejected };

std::string_view name(ReasonCode code);
std::optional<ReasonCode> reason_from_name(std::string_view name);
std::string_view name(Outcome outcome);

// What a reason does to a record on its own.
Outcome severity(ReasonCode code);

struct Reason {
    Reason(ReasonCode code_, std::string detail_ = {},
           std::optional<Outcome> severity_override_ = {})
        : code(code_), detail(std::move(detail_)), severity_override(severity_override_) {}

    ReasonCode code;
    std::string detail;
    // Where a rule judges a code differently from its usual severity (an
    // unknown product is rejected in a count, only flagged in a scan: the
    // pack exists, the master data may lag).
    std::optional<Outcome> severity_override;

    Outcome severity() const { return severity_override.value_or(core::severity(code)); }
    bool operator==(const Reason&) const = default;
};

// The judgement on one record: the worst severity among its reasons.
struct Verdict {
    std::vector<Reason> reasons;

    Outcome outcome() const;
    bool has(ReasonCode code) const;
    void add(ReasonCode code, std::string detail = {}) {
        reasons.emplace_back(code, std::move(detail));
    }
    void add(std::optional<Reason> reason) {
        if (reason) reasons.push_back(std::move(*reason));
    }
};

}  // namespace fieldflow::core
