// `fieldflow summary`: what the store holds at a glance, in the locale's
// language (tools/human_text.h).

#include <filesystem>
#include <iostream>
#include <string>

#include "core/reason.h"
#include "store/gateway_store.h"
#include "tools/commands.h"
#include "tools/human_text.h"

namespace fieldflow::tools {

namespace {

struct SummaryText {
    const char* records;
    const char* accepted;
    const char* flagged;
    const char* rejected;
    const char* quarantine;
    const char* by_kind;
    const char* reasons;
    const char* none;
};

constexpr SummaryText english{"records",
                              "  accepted",
                              "  flagged",
                              "  rejected",
                              "  (kept in quarantine)",
                              "by kind and verdict",
                              "reasons",
                              "  (none)"};
constexpr SummaryText chinese{"记录总数",       "  通过",       "  标记待审核", "  拒收",
                              "  （隔离保存）", "按类型和判定", "原因",         "  （无）"};

// "check_in flagged" as "签到 标记": the store's words, each translated
// where a name is known.
std::string chinese_words(const std::string& key) {
    static const std::pair<const char*, const char*> words[] = {
        {"check_in", "签到"},
        {"check_out", "签退"},
        {"scan", "扫码"},
        {"stock_count", "终端盘点"},
        {"terminal_sales", "终端销售"},
        {"purchase", "终端进货"},
        {"promotion", "促销"},
        {"display", "陈列"},
        {"competitor", "竞品"},
        {"distributor_stock", "经销商库存"},
        {"flow", "流向"},
        {"unreadable", "无法读取"},
        {"unsupported", "不支持的类型"},
        {"accepted", "通过"},
        {"flagged", "标记"},
        {"rejected", "拒收"},
    };
    std::string out;
    std::size_t from = 0;
    while (from <= key.size()) {
        auto to = key.find(' ', from);
        if (to == std::string::npos) to = key.size();
        std::string word = key.substr(from, to - from);
        for (const auto& [english_word, chinese_word] : words)
            if (word == english_word) word = chinese_word;
        out += (out.empty() ? "" : " ") + word;
        from = to + 1;
    }
    return out;
}

}  // namespace

int summary_command(const SummaryOptions& o) {
    if (!existing_store("summary", o.db)) return 1;
    const bool zh = language_from_environment() == Language::chinese;
    const SummaryText& text = zh ? chinese : english;
    store::GatewayStore store(o.db);
    auto counts = store.counts();
    auto total = counts.accepted + counts.flagged + counts.rejected;
    auto line = [](const std::string& label, std::uint64_t n, std::size_t width = 12) {
        std::cout << pad_right(label, width) << pad_left(std::to_string(n), 8);
    };
    line(text.records, total);
    std::cout << '\n';
    line(text.accepted, counts.accepted);
    std::cout << '\n';
    line(text.flagged, counts.flagged);
    std::cout << '\n';
    line(text.rejected, counts.rejected);
    std::cout << text.quarantine << "\n\n" << text.by_kind << '\n';
    for (const auto& t : store.kinds_by_verdict()) {
        line("  " + (zh ? chinese_words(t.key) : t.key), t.count, 30);
        std::cout << '\n';
    }
    auto reasons = store.reasons_by_frequency();
    std::cout << '\n' << text.reasons << '\n';
    if (reasons.empty()) std::cout << text.none << '\n';
    for (const auto& t : reasons) {
        std::string label = t.key;
        auto code = core::reason_from_name(t.key);
        // The stable code stays beside its Chinese name: it is what the
        // docs, the filters and the JSON outputs use.
        if (zh && code) label = std::string(core::chinese_name(*code)) + " " + t.key;
        line("  " + label, t.count, zh ? 44 : 30);
        std::cout << '\n';
    }
    return 0;
}

}  // namespace fieldflow::tools
