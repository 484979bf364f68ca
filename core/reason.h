#pragma once
// Every reason a record can be flagged or rejected, in one place. The names
// are stable: they travel to agents, land in the store and appear in the
// operators' tools. docs/protocol.md lists them with their meaning.

#include <array>
#include <cstddef>
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
    // Flagged: the field's tricks (core/travel_rules.h).
    impossible_travel,
    short_visit,
    // Flagged: the visit's evidence was used before.
    photo_reused,
    // Flagged against the visit plans (docs/operations.md).
    off_plan,
};

// Every code in the enum's order; reason.cpp checks at compile time that none
// is missing and that each has a name.
inline constexpr std::array all_reason_codes{
    ReasonCode::malformed_record,    ReasonCode::unsupported_kind,
    ReasonCode::wrong_device,        ReasonCode::sequence_reused,
    ReasonCode::unknown_rep,         ReasonCode::unknown_terminal,
    ReasonCode::unknown_product,     ReasonCode::negative_quantity,
    ReasonCode::unknown_distributor, ReasonCode::invalid_field,
    ReasonCode::outside_territory,   ReasonCode::outside_geofence,
    ReasonCode::unmatched_checkout,  ReasonCode::no_open_visit,
    ReasonCode::unparsed_code,       ReasonCode::expired,
    ReasonCode::duplicate_serial,    ReasonCode::stale_fix,
    ReasonCode::low_accuracy,        ReasonCode::unknown_correction,
    ReasonCode::stock_variance,      ReasonCode::diversion,
    ReasonCode::lot_not_received,    ReasonCode::negative_stock,
    ReasonCode::impossible_travel,   ReasonCode::short_visit,
    ReasonCode::photo_reused,        ReasonCode::off_plan,
};

// The stable name; "unknown" only for a value outside the enum. A code added
// without a case here does not build (the switch's warning is an error).
#pragma GCC diagnostic push
#pragma GCC diagnostic error "-Wswitch"
constexpr std::string_view name(ReasonCode code) {
    switch (code) {
        case ReasonCode::malformed_record:
            return "malformed_record";
        case ReasonCode::unsupported_kind:
            return "unsupported_kind";
        case ReasonCode::wrong_device:
            return "wrong_device";
        case ReasonCode::sequence_reused:
            return "sequence_reused";
        case ReasonCode::unknown_rep:
            return "unknown_rep";
        case ReasonCode::unknown_terminal:
            return "unknown_terminal";
        case ReasonCode::unknown_product:
            return "unknown_product";
        case ReasonCode::negative_quantity:
            return "negative_quantity";
        case ReasonCode::unknown_distributor:
            return "unknown_distributor";
        case ReasonCode::invalid_field:
            return "invalid_field";
        case ReasonCode::outside_territory:
            return "outside_territory";
        case ReasonCode::outside_geofence:
            return "outside_geofence";
        case ReasonCode::unmatched_checkout:
            return "unmatched_checkout";
        case ReasonCode::no_open_visit:
            return "no_open_visit";
        case ReasonCode::unparsed_code:
            return "unparsed_code";
        case ReasonCode::expired:
            return "expired";
        case ReasonCode::duplicate_serial:
            return "duplicate_serial";
        case ReasonCode::stale_fix:
            return "stale_fix";
        case ReasonCode::low_accuracy:
            return "low_accuracy";
        case ReasonCode::unknown_correction:
            return "unknown_correction";
        case ReasonCode::stock_variance:
            return "stock_variance";
        case ReasonCode::diversion:
            return "diversion";
        case ReasonCode::lot_not_received:
            return "lot_not_received";
        case ReasonCode::negative_stock:
            return "negative_stock";
        case ReasonCode::impossible_travel:
            return "impossible_travel";
        case ReasonCode::short_visit:
            return "short_visit";
        case ReasonCode::photo_reused:
            return "photo_reused";
        case ReasonCode::off_plan:
            return "off_plan";
    }
    return "unknown";
}
#pragma GCC diagnostic pop

// The name an operator reads in Chinese, shown beside the stable name (which
// stays the key everywhere). Checked like name(): a code without a case here
// does not build, and reason.cpp checks that none is left empty.
#pragma GCC diagnostic push
#pragma GCC diagnostic error "-Wswitch"
constexpr std::string_view chinese_name(ReasonCode code) {
    switch (code) {
        case ReasonCode::malformed_record:
            return "记录格式错误";
        case ReasonCode::unsupported_kind:
            return "不支持的记录类型";
        case ReasonCode::wrong_device:
            return "设备不符";
        case ReasonCode::sequence_reused:
            return "序号重复使用";
        case ReasonCode::unknown_rep:
            return "未知代表";
        case ReasonCode::unknown_terminal:
            return "未知终端";
        case ReasonCode::unknown_product:
            return "未知产品";
        case ReasonCode::negative_quantity:
            return "数量为负";
        case ReasonCode::unknown_distributor:
            return "未知经销商";
        case ReasonCode::invalid_field:
            return "字段无效";
        case ReasonCode::outside_territory:
            return "超出负责区域";
        case ReasonCode::outside_geofence:
            return "不在终端签到范围内";
        case ReasonCode::unmatched_checkout:
            return "签退无对应签到";
        case ReasonCode::no_open_visit:
            return "无进行中的拜访";
        case ReasonCode::unparsed_code:
            return "追溯码无法识别";
        case ReasonCode::expired:
            return "产品已过期";
        case ReasonCode::duplicate_serial:
            return "序列号重复";
        case ReasonCode::stale_fix:
            return "定位已过时";
        case ReasonCode::low_accuracy:
            return "定位精度不足";
        case ReasonCode::unknown_correction:
            return "更正的记录不存在";
        case ReasonCode::stock_variance:
            return "库存差异";
        case ReasonCode::diversion:
            return "窜货";
        case ReasonCode::lot_not_received:
            return "卖方未收到此批号";
        case ReasonCode::negative_stock:
            return "负库存";
        case ReasonCode::impossible_travel:
            return "移动速度异常";
        case ReasonCode::short_visit:
            return "拜访时间过短";
        case ReasonCode::photo_reused:
            return "照片重复使用";
        case ReasonCode::off_plan:
            return "计划外拜访";
    }
    return "";
}
#pragma GCC diagnostic pop

enum class Outcome { accepted, flagged, rejected };

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
