#include "agent/verdicts.h"

#include <map>

namespace fieldflow::agent {

namespace {

const std::map<std::string, std::string, std::less<>> reason_words = {
    {"outside_geofence", "checked in away from the store"},
    {"outside_territory", "the store is outside your territory"},
    {"unmatched_checkout", "a check-out with no check-in to close"},
    {"no_open_visit", "recorded outside an open visit"},
    {"unknown_terminal", "the store is not in the master data"},
    {"unknown_product", "the product is not in the master data"},
    {"unknown_rep", "your rep id is not in the master data"},
    {"negative_quantity", "a negative quantity"},
    {"expired", "an expired pack"},
    {"duplicate_serial", "this pack was already scanned at another store"},
    {"unparsed_code", "the barcode was not understood"},
    {"malformed_record", "the record was damaged"},
    {"unsupported_kind", "the gateway does not know this kind of record yet"},
    {"wrong_device", "the record belongs to another device"},
    {"sequence_reused", "the record number was used before"},
    {"unknown_distributor", "the distributor is not in the master data"},
    {"invalid_field", "a value is not valid"},
    {"stale_fix", "the GPS fix was too old"},
    {"low_accuracy", "the GPS fix was too coarse"},
    {"unknown_correction", "the record it corrects is not at the gateway"},
    {"stock_variance", "it disagrees with the stock the distribution data shows"},
    {"diversion", "the goods came from outside the authorised channel"},
    {"lot_not_received", "the seller never received that lot"},
    {"negative_stock", "the seller cannot have held that much"},
    {"impossible_travel", "too far from your previous or next check-in for the time between"},
    {"short_visit", "the visit was too short"},
    {"photo_reused", "this photo was already sent with another visit"},
    {"off_plan", "the store is not in your plan for that day"},
};

std::string kind_words(const std::string& kind) {
    if (kind == "check_in") return "check-in";
    if (kind == "check_out") return "check-out";
    if (kind == "stock_count") return "stock count";
    if (kind == "terminal_sales") return "terminal sales";
    if (kind == "distributor_stock") return "distributor stock";
    if (kind == "flow") return "flow row";
    return kind;
}

}  // namespace

std::string in_plain_words(const Acked& acked) {
    std::string text = "record " + std::to_string(acked.seq) + ", " + kind_words(acked.kind) +
                       ", " + acked.verdict;
    const char* separator = ": ";
    for (const auto& r : acked.reasons) {
        auto words = reason_words.find(r.code);
        text += separator;
        text += words == reason_words.end() ? r.code : words->second;
        if (!r.detail.empty()) text += " — " + r.detail;
        separator = "; ";
    }
    return text;
}

}  // namespace fieldflow::agent
