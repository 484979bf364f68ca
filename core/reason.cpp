#include "core/reason.h"

#include <algorithm>
#include <array>
#include <utility>

namespace fieldflow::core {

namespace {
constexpr std::array<std::pair<ReasonCode, std::string_view>, 24> names{{
    {ReasonCode::malformed_record, "malformed_record"},
    {ReasonCode::unsupported_kind, "unsupported_kind"},
    {ReasonCode::wrong_device, "wrong_device"},
    {ReasonCode::sequence_reused, "sequence_reused"},
    {ReasonCode::unknown_rep, "unknown_rep"},
    {ReasonCode::unknown_terminal, "unknown_terminal"},
    {ReasonCode::unknown_product, "unknown_product"},
    {ReasonCode::negative_quantity, "negative_quantity"},
    {ReasonCode::unknown_distributor, "unknown_distributor"},
    {ReasonCode::invalid_field, "invalid_field"},
    {ReasonCode::outside_territory, "outside_territory"},
    {ReasonCode::outside_geofence, "outside_geofence"},
    {ReasonCode::unmatched_checkout, "unmatched_checkout"},
    {ReasonCode::no_open_visit, "no_open_visit"},
    {ReasonCode::unparsed_code, "unparsed_code"},
    {ReasonCode::expired, "expired"},
    {ReasonCode::duplicate_serial, "duplicate_serial"},
    {ReasonCode::stale_fix, "stale_fix"},
    {ReasonCode::low_accuracy, "low_accuracy"},
    {ReasonCode::unknown_correction, "unknown_correction"},
    {ReasonCode::stock_variance, "stock_variance"},
    {ReasonCode::diversion, "diversion"},
    {ReasonCode::lot_not_received, "lot_not_received"},
    {ReasonCode::negative_stock, "negative_stock"},
}};
}  // namespace

std::string_view name(ReasonCode code) {
    for (const auto& [c, n] : names)
        if (c == code) return n;
    return "unknown";
}

std::optional<ReasonCode> reason_from_name(std::string_view text) {
    for (const auto& [c, n] : names)
        if (n == text) return c;
    return std::nullopt;
}

std::string_view name(Outcome outcome) {
    switch (outcome) {
        case Outcome::accepted:
            return "accepted";
        case Outcome::flagged:
            return "flagged";
        case Outcome::rejected:
            return "rejected";
    }
    return "rejected";
}

Outcome severity(ReasonCode code) {
    switch (code) {
        case ReasonCode::malformed_record:
        case ReasonCode::unsupported_kind:
        case ReasonCode::wrong_device:
        case ReasonCode::sequence_reused:
        case ReasonCode::unknown_rep:
        case ReasonCode::unknown_terminal:
        case ReasonCode::unknown_product:
        case ReasonCode::negative_quantity:
        case ReasonCode::unknown_distributor:
        case ReasonCode::invalid_field:
            return Outcome::rejected;
        case ReasonCode::outside_territory:
        case ReasonCode::outside_geofence:
        case ReasonCode::unmatched_checkout:
        case ReasonCode::no_open_visit:
        case ReasonCode::unparsed_code:
        case ReasonCode::expired:
        case ReasonCode::duplicate_serial:
        case ReasonCode::stale_fix:
        case ReasonCode::low_accuracy:
        case ReasonCode::unknown_correction:
        case ReasonCode::stock_variance:
        case ReasonCode::diversion:
        case ReasonCode::lot_not_received:
        case ReasonCode::negative_stock:
            return Outcome::flagged;
    }
    return Outcome::rejected;
}

Outcome Verdict::outcome() const {
    Outcome worst = Outcome::accepted;
    for (const auto& reason : reasons) worst = std::max(worst, reason.severity());
    return worst;
}

bool Verdict::has(ReasonCode code) const {
    return std::any_of(reasons.begin(), reasons.end(),
                       [code](const Reason& r) { return r.code == code; });
}

}  // namespace fieldflow::core
