#include "core/visit_plan.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "core/csv.h"
#include "core/territory.h"
#include "core/text_encoding.h"

namespace fieldflow::core {

namespace {

std::string text(const std::string& value, const char* column) {
    if (!valid_utf8(value))
        throw csv::FieldError(
            "not_utf8",
            std::string(column) + " is not UTF-8 text (a GBK file needs --encoding gbk)",
            csv::chinese_column(column) + "不是 UTF-8 文本（GBK 文件请用 --encoding gbk）");
    return value;
}

// Quoted as RFC 4180 wants when it holds a comma, a quote or a line break.
std::string field(const std::string& value) {
    if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
    std::string out = "\"";
    for (char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + '"';
}

}  // namespace

PlanLoad read_plan_csv(std::istream& in, const std::string& file, const MasterData& master) {
    PlanLoad load;
    // Where each rep's day already has a terminal and an order, for repeats.
    std::set<std::tuple<std::string, Day, std::string>> terminals_seen;
    std::map<std::tuple<std::string, Day, unsigned>, unsigned> orders_seen;
    csv::read_table<5>(
        in, file, {"rep_id", "date", "terminal_id", "purpose", "order"},
        [&](const csv::Row<5>& f, unsigned line) {
            PlannedVisit v;
            v.rep = text(std::string(csv::required(f[0], "rep_id")), "rep_id");
            auto day = parse_date(f[1]);
            if (!day)
                throw csv::FieldError("not_a_date",
                                      "date is not a day (YYYY-MM-DD): \"" + f[1] + "\"",
                                      "日期“" + f[1] + "”不是有效日期（应为 YYYY-MM-DD）");
            v.day = *day;
            v.terminal = text(std::string(csv::required(f[2], "terminal_id")), "terminal_id");
            v.purpose = text(f[3], "purpose");
            long long order = csv::to_integer(csv::required(f[4], "order"), "order");
            if (order < 1 || order > 1000)
                throw csv::FieldError(
                    "order_out_of_range",
                    "order is a stop's place in the day, from 1 to 1000, not " + f[4],
                    "顺序是当天第几站，须为 1 到 1000，而不是 " + f[4]);
            v.order = static_cast<unsigned>(order);
            const Rep* rep = master.rep(v.rep);
            if (!rep)
                throw csv::FieldError("unknown_rep",
                                      "unknown rep " + v.rep + " (not in the master data)",
                                      "主数据中没有代表 " + v.rep);
            const Terminal* terminal = master.terminal(v.terminal);
            if (!terminal)
                throw csv::FieldError(
                    "unknown_terminal",
                    "unknown terminal " + v.terminal + " (not in the master data)",
                    "主数据中没有终端 " + v.terminal);
            if (!covers(rep->territory, terminal->territory))
                throw csv::FieldError(
                    "outside_territory",
                    "terminal " + v.terminal + " is in " + terminal->territory + ", outside rep " +
                        v.rep + "'s territory " + rep->territory,
                    "终端 " + v.terminal + " 属于 " + terminal->territory + "，不在代表 " + v.rep +
                        " 的辖区 " + rep->territory + " 内");
            if (!terminals_seen.emplace(v.rep, v.day, v.terminal).second)
                throw csv::FieldError(
                    "planned_twice",
                    "terminal " + v.terminal + " is planned twice for rep " + v.rep + " on " + f[1],
                    "终端 " + v.terminal + " 在 " + f[1] + " 已为代表 " + v.rep + " 计划过");
            auto [at, fresh] = orders_seen.emplace(std::tuple{v.rep, v.day, v.order}, line);
            if (!fresh)
                throw csv::FieldError("order_taken",
                                      "order " + f[4] + " of rep " + v.rep + " on " + f[1] +
                                          " is taken by line " + std::to_string(at->second),
                                      "代表 " + v.rep + " 在 " + f[1] + " 的顺序 " + f[4] +
                                          " 已被第 " + std::to_string(at->second) + " 行使用");
            load.visits.push_back(std::move(v));
        },
        load.errors);
    std::sort(load.visits.begin(), load.visits.end(),
              [](const PlannedVisit& x, const PlannedVisit& y) {
                  return std::tie(x.rep, x.day, x.order) < std::tie(y.rep, y.day, y.order);
              });
    return load;
}

std::string plan_csv(const std::vector<PlannedVisit>& visits) {
    std::string out = "rep_id,date,terminal_id,purpose,order\n";
    for (const auto& v : visits)
        out += field(v.rep) + ',' + format_date(v.day) + ',' + field(v.terminal) + ',' +
               field(v.purpose) + ',' + std::to_string(v.order) + '\n';
    return out;
}

}  // namespace fieldflow::core
