#include "tables/json_table.h"

#include <algorithm>
#include <map>

namespace fieldflow::tables {

namespace {

using Columns = std::vector<Column>;

// The headings follow the console's (web/text.js), so that a download
// reads like the page it came from.
const std::map<std::string, std::pair<Title, Columns>, std::less<>>& catalogue() {
    static const std::map<std::string, std::pair<Title, Columns>, std::less<>> tables{
        {"ledger",
         {{"Ledger", "进销存台账"},
          {{"holder", "Distributor", "经销商", Kind::text},
           {"product", "Product", "产品", Kind::text},
           {"opening", "Opening", "期初", Kind::number},
           {"inbound", "Inbound", "进货", Kind::number},
           {"outbound", "Outbound", "出货", Kind::number},
           {"closing", "Closing", "期末", Kind::number},
           {"last_reported", "Reported stock", "报告库存", Kind::number},
           {"reported_on", "Reported on", "报告日期", Kind::date},
           {"variance", "Variance", "差异", Kind::number},
           {"off_books", "Beyond tolerance", "超出容差", Kind::text}}}},
        {"channel",
         {{"Channel stock", "渠道库存"},
          {{"product", "Product", "产品", Kind::text},
           {"channel_stock", "Channel stock", "渠道库存", Kind::number}}}},
        {"terminal_purchases",
         {{"Terminal purchases", "终端进货"},
          {{"terminal", "Terminal", "终端", Kind::text},
           {"product", "Product", "产品", Kind::text},
           {"qty", "Quantity", "数量", Kind::number}}}},
        {"anomalies",
         {{"Anomalies", "异常"},
          {{"record_id", "Record", "记录", Kind::text},
           {"kind", "Kind", "类型", Kind::text},
           {"reason", "Reason", "原因", Kind::text},
           {"period", "Month", "月份", Kind::text},
           {"detail", "Detail", "说明", Kind::text}}}},
        {"review",
         {{"Review queue", "审核队列"},
          {{"id", "Record", "记录", Kind::number},
           {"device", "Device", "设备", Kind::text},
           {"seq", "Seq", "序号", Kind::number},
           {"rep", "Rep", "代表", Kind::text},
           {"kind", "Kind", "类型", Kind::text},
           {"terminal", "Terminal", "终端", Kind::text},
           {"captured_at_ms", "Captured", "采集时间", Kind::time},
           {"received_at_ms", "Received", "接收时间", Kind::time},
           {"reasons", "Reasons", "原因", Kind::text},
           {"decision", "Decision", "审核结果", Kind::text},
           {"comment", "Comment", "理由", Kind::text},
           {"by", "Decided by", "审核员", Kind::text},
           {"decided_at_ms", "Decided", "审核时间", Kind::time}}}},
        {"effectiveness.reps",
         {{"Visits per rep", "拜访成效"},
          {{"rep", "Rep", "代表", Kind::text},
           {"day", "Day", "日期", Kind::date},
           {"visits", "Visits", "拜访", Kind::number},
           {"closed_visits", "Checked out", "已签退", Kind::number},
           {"minutes_in_store", "Minutes in store", "在店分钟", Kind::number}}}},
        {"effectiveness.grades",
         {{"Coverage", "终端覆盖"},
          {{"grade", "Grade", "等级", Kind::text},
           {"terminals", "Terminals", "终端数", Kind::number},
           {"target", "Target visits", "目标拜访次数", Kind::number},
           {"on_target", "On target", "达标终端", Kind::number},
           {"coverage_percent", "Coverage %", "覆盖率 %", Kind::number},
           {"visits", "Visits", "拜访", Kind::number}}}},
        {"effectiveness.terminals",
         {{"Visits per terminal", "终端拜访"},
          {{"terminal", "Terminal", "终端", Kind::text},
           {"grade", "Grade", "等级", Kind::text},
           {"visits", "Visits", "拜访", Kind::number},
           {"target", "Target visits", "目标拜访次数", Kind::number}}}},
        {"effectiveness.plan",
         {{"Plan against actual", "计划与实际"},
          {{"rep", "Rep", "代表", Kind::text},
           {"day", "Day", "日期", Kind::date},
           {"planned", "Planned", "计划", Kind::number},
           {"done", "Done", "已完成", Kind::number},
           {"missed", "Missed", "未完成", Kind::number},
           {"unplanned", "Unplanned", "计划外", Kind::number}}}},
    };
    return tables;
}

}  // namespace

const std::vector<Column>& known_columns(std::string_view table) {
    static const Columns none;
    auto found = catalogue().find(table);
    return found == catalogue().end() ? none : found->second.second;
}

Title title_of(std::string_view table) {
    auto found = catalogue().find(table);
    if (found != catalogue().end()) return found->second.first;
    // A table of a report no one named here yet: "effectiveness.routes" → "routes".
    std::string name(table.substr(table.rfind('.') + 1));
    return {name, name};
}

std::vector<Column> columns_of(const nlohmann::json& rows, const std::vector<Column>& known) {
    std::vector<std::string> keys;
    std::map<std::string, bool, std::less<>> numeric;
    for (const auto& row : rows) {
        if (!row.is_object()) continue;
        for (const auto& [key, value] : row.items()) {
            auto [at, added] = numeric.emplace(key, true);
            if (added) keys.push_back(key);
            if (!value.is_null() && !value.is_number()) at->second = false;
        }
    }
    std::vector<Column> columns;
    for (const auto& column : known)
        if (numeric.count(column.key)) columns.push_back(column);
    for (const auto& key : keys) {
        bool listed =
            std::any_of(known.begin(), known.end(), [&](const Column& c) { return c.key == key; });
        if (!listed) columns.push_back({key, key, key, numeric[key] ? Kind::number : Kind::text});
    }
    return columns;
}

Row cells_of(const nlohmann::json& row, const std::vector<Column>& columns, Language language) {
    Row cells;
    cells.reserve(columns.size());
    for (const auto& column : columns) {
        auto found = row.find(column.key);
        if (found == row.end() || found->is_null())
            cells.emplace_back(std::monostate{});
        else if (found->is_number())
            cells.emplace_back(found->get<double>());
        else if (found->is_string())
            cells.emplace_back(found->get<std::string>());
        else if (found->is_boolean())
            cells.emplace_back(std::string(language == Language::chinese
                                               ? (found->get<bool>() ? "是" : "否")
                                               : (found->get<bool>() ? "yes" : "no")));
        else
            cells.emplace_back(found->dump());
    }
    return cells;
}

}  // namespace fieldflow::tables
