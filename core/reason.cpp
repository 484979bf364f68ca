#include "core/reason.h"

#include <algorithm>

namespace fieldflow::core {

namespace {

// all_reason_codes lists the enum in order and whole: a code appended to the
// enum but not to the list names itself past the list's end.
constexpr bool every_code_listed_and_named() {
    for (std::size_t i = 0; i < all_reason_codes.size(); ++i)
        if (all_reason_codes[i] != static_cast<ReasonCode>(i) ||
            name(all_reason_codes[i]) == "unknown")
            return false;
    return name(static_cast<ReasonCode>(all_reason_codes.size())) == "unknown";
}
static_assert(every_code_listed_and_named(),
              "every ReasonCode must be in all_reason_codes, in order, with a name");

constexpr bool every_code_has_a_chinese_name() {
    for (auto code : all_reason_codes)
        if (chinese_name(code).empty()) return false;
    return true;
}
static_assert(every_code_has_a_chinese_name(), "every ReasonCode must have a Chinese name");

}  // namespace

std::optional<ReasonCode> reason_from_name(std::string_view text) {
    for (auto code : all_reason_codes)
        if (name(code) == text) return code;
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
        case ReasonCode::impossible_travel:
        case ReasonCode::short_visit:
        case ReasonCode::photo_reused:
        case ReasonCode::off_plan:
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
