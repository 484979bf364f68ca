#include "core/scan_rules.h"

#include <chrono>

namespace fieldflow::core {

std::optional<Reason> code_understood(const ScanContent& content) {
    if (content.kind != ContentKind::raw) return std::nullopt;
    return Reason{ReasonCode::unparsed_code, content.problem};
}

std::optional<Reason> scanned_product_known(const MasterData& master, const ScanContent& content) {
    if (content.kind == ContentKind::raw || content.sscc)
        return std::nullopt;  // nothing to look up
    if (product_for(master, content)) return std::nullopt;
    std::string what = content.drug_code ? "drug code prefix " + content.drug_code->prefix
                                         : "GTIN " + content.gtin.value_or("?");
    return Reason{ReasonCode::unknown_product, what + " is not in products.csv", Outcome::flagged};
}

std::optional<Reason> not_expired(const ScanContent& content, const Gs1Date& today) {
    if (!content.expiry || !(*content.expiry < today)) return std::nullopt;
    return Reason{ReasonCode::expired,
                  "expired " + content.expiry->iso() + ", scanned " + today.iso(), std::nullopt};
}

std::optional<Reason> pack_not_seen_elsewhere(const ScanContent& content,
                                              const std::string& terminal,
                                              const std::optional<std::string>& seen_at) {
    if (!seen_at || *seen_at == terminal || content.pack_identity().empty()) return std::nullopt;
    return Reason{ReasonCode::duplicate_serial,
                  "pack " + content.pack_identity() + " was scanned at " + *seen_at + " before"};
}

Gs1Date date_of_ms(std::int64_t ms) {
    using namespace std::chrono;
    year_month_day day{floor<days>(sys_time<milliseconds>(milliseconds(ms)))};
    return {static_cast<int>(day.year()), static_cast<int>(static_cast<unsigned>(day.month())),
            static_cast<int>(static_cast<unsigned>(day.day()))};
}

}  // namespace fieldflow::core
