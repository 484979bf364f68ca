#include "core/csv.h"

#include <cmath>

namespace fieldflow::core::csv {

std::string chinese_column(std::string_view column) {
    static constexpr std::pair<std::string_view, std::string_view> names[] = {
        {"shipment_id", "发货单号"},
        {"flow_id", "流向编号"},
        {"report_id", "报告编号"},
        {"date", "日期"},
        {"expiry", "有效期"},
        {"period", "月份"},
        {"distributor_id", "经销商"},
        {"seller_id", "销售方"},
        {"buyer_id", "购买方"},
        {"holder_id", "持有方"},
        {"product_id", "产品"},
        {"lot", "批号"},
        {"qty", "数量"},
        {"terminal_id", "终端"},
        {"rep_id", "代表"},
        {"lat", "纬度"},
        {"lon", "经度"},
        {"radius_m", "围栏半径"},
        {"tier", "层级"},
        {"name", "名称"},
        {"territory", "辖区"},
        {"order", "顺序"},
    };
    for (const auto& [english, chinese] : names)
        if (english == column) return std::string(chinese);
    return std::string(column);
}

std::string_view required(std::string_view text, std::string_view column) {
    if (text.empty())
        throw FieldError("empty", std::string(column) + " is empty",
                         chinese_column(column) + "为空");
    return text;
}

double to_double(std::string_view text, std::string_view column) {
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        throw FieldError("not_a_number",
                         std::string(column) + " is not a number: \"" + std::string(text) + "\"",
                         chinese_column(column) + "“" + std::string(text) + "”不是数字");
    return value;
}

long long to_integer(std::string_view text, std::string_view column) {
    long long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        throw FieldError("not_an_integer",
                         std::string(column) + " is not an integer: \"" + std::string(text) + "\"",
                         chinese_column(column) + "“" + std::string(text) + "”不是整数");
    return value;
}

}  // namespace fieldflow::core::csv
