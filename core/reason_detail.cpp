#include "core/reason_detail.h"

#include <functional>
#include <regex>
#include <vector>

namespace fieldflow::core {

namespace {

// "1 h 5 min", "12 min", "40 s" as the travel rules write a duration.
std::string chinese_duration(std::string text) {
    static const std::regex hours(R"re((\d+) h\b)re"), minutes(R"re(([\d.]+) min\b)re"),
        seconds(R"re((\d+) s\b)re");
    text = std::regex_replace(text, hours, "$1 小时");
    text = std::regex_replace(text, minutes, "$1 分钟");
    return std::regex_replace(text, seconds, "$1 秒");
}

struct Form {
    std::regex pattern;
    std::function<std::string(const std::smatch&)> say;
};

// Each form a rule writes, with its parts in Chinese. Kept beside the rules'
// own tests: tests/core/reason_detail_test.cpp runs every rule that writes
// one and reads it back here.
const std::vector<Form>& forms() {
    static const std::vector<Form> all = [] {
        std::vector<Form> f;
        auto add = [&](const char* pattern, std::function<std::string(const std::smatch&)> say) {
            f.push_back({std::regex(pattern), std::move(say)});
        };
        add(R"re(^(\d+) m from (\S+) \(radius (\d+) m, fix accuracy (\d+) m\)(?:; the rep's reason: ([\s\S]*))?$)re",
            [](const std::smatch& m) {
                std::string text = "距终端 " + m.str(2) + " " + m.str(1) + " 米（围栏半径 " +
                                   m.str(3) + " 米，定位精度 " + m.str(4) + " 米）";
                if (m[5].matched) text += "；代表说明：" + m.str(5);
                return text;
            });
        add(R"re(^the fix has no valid position$)re", [](auto&) { return "定位没有有效坐标"; });
        add(R"re(^the fix was (\d+) s old$)re",
            [](const std::smatch& m) { return "定位已过时 " + m.str(1) + " 秒"; });
        add(R"re(^the receiver had no fix$)re", [](auto&) { return "接收机没有定位"; });
        add(R"re(^the fix was only good to (\d+) m$)re",
            [](const std::smatch& m) { return "定位精度只有 " + m.str(1) + " 米"; });
        add(R"re(^([\d.]+) km in (.+) \((\d+) km/h\) (from|to) (\S+) at (\S+)$)re",
            [](const std::smatch& m) {
                if (m.str(4) == "from")
                    return "从 " + m.str(6) + " 的 " + m.str(5) + " 出发，" +
                           chinese_duration(m.str(2)) + " 内移动 " + m.str(1) + " 公里（" +
                           m.str(3) + " 公里/小时）";
                return chinese_duration(m.str(2)) + " 内移动 " + m.str(1) + " 公里到 " + m.str(6) +
                       " 的 " + m.str(5) + "（" + m.str(3) + " 公里/小时）";
            });
        add(R"re(^([\d.]+) km at the same time (from|to) (\S+) at (\S+)$)re",
            [](const std::smatch& m) {
                return "与 " + m.str(4) + " 在 " + m.str(3) + " 的记录同时，相距 " + m.str(1) +
                       " 公里";
            });
        add(R"re(^checked out (.+) after checking in at (\S+) at (\S+) \(minimum (.+) min\)$)re",
            [](const std::smatch& m) {
                return m.str(3) + " 在 " + m.str(2) + " 签到后 " + chinese_duration(m.str(1)) +
                       " 即签退（至少 " + m.str(4) + " 分钟）";
            });
        add(R"re(^no visit is open$)re", [](auto&) { return "没有进行中的拜访"; });
        add(R"re(^the open visit is at (\S+), not (\S+)$)re", [](const std::smatch& m) {
            return "进行中的拜访在 " + m.str(1) + "，不在 " + m.str(2);
        });
        add(R"re(^rep "(.*)" is not in reps\.csv$)re",
            [](const std::smatch& m) { return "代表“" + m.str(1) + "”不在主数据中"; });
        add(R"re(^terminal "(.*)" is not in terminals\.csv$)re",
            [](const std::smatch& m) { return "终端“" + m.str(1) + "”不在主数据中"; });
        add(R"re(^product "(.*)" is not in products\.csv$)re",
            [](const std::smatch& m) { return "产品“" + m.str(1) + "”不在主数据中"; });
        add(R"re(^distributor "(.*)" is not in distributors\.csv$)re",
            [](const std::smatch& m) { return "经销商“" + m.str(1) + "”不在主数据中"; });
        add(R"re(^(?:GTIN|drug code prefix) (\S+) is not in products\.csv$)re",
            [](const std::smatch& m) { return m.str(1) + " 不在产品主数据中"; });
        add(R"re(^(\S+) is not in products\.csv$)re",
            [](const std::smatch& m) { return m.str(1) + " 不在产品主数据中"; });
        add(R"re(^qty (-?\d+) is negative$)re",
            [](const std::smatch& m) { return "数量 " + m.str(1) + " 为负数"; });
        add(R"re(^terminal (\S+) is in (\S+), rep (\S+) covers (\S+)$)re",
            [](const std::smatch& m) {
                return "终端 " + m.str(1) + " 属于 " + m.str(2) + "，代表 " + m.str(3) + " 负责 " +
                       m.str(4);
            });
        add(R"re(^record (\d+) is not earlier than this one$)re",
            [](const std::smatch& m) { return "记录 " + m.str(1) + " 不早于本记录"; });
        add(R"re(^record (\d+) of (\S+) is not at the gateway$)re", [](const std::smatch& m) {
            return "网关没有设备 " + m.str(2) + " 的记录 " + m.str(1);
        });
        add(R"re(^the same photo was sent before with record (\d+) of device (\S+) at terminal (\S+), captured (.+)$)re",
            [](const std::smatch& m) {
                return "同一张照片已随设备 " + m.str(2) + " 的记录 " + m.str(1) + "（终端 " +
                       m.str(3) + "，拍摄于 " + m.str(4) + "）发送过";
            });
        add(R"re(^expired (\S+), scanned (\S+)$)re",
            [](const std::smatch& m) { return "有效期至 " + m.str(1) + "，扫码于 " + m.str(2); });
        add(R"re(^pack (\S+) was scanned at (\S+) before$)re", [](const std::smatch& m) {
            return "药盒 " + m.str(1) + " 之前已在 " + m.str(2) + " 扫过";
        });
        add(R"re(^(\S+) (-?\d+) is negative$)re",
            [](const std::smatch& m) { return m.str(1) + " " + m.str(2) + " 为负数"; });
        add(R"re(^the period ends \((\S+)\) before it starts \((\S+)\)$)re",
            [](const std::smatch& m) {
                return "结束日期（" + m.str(1) + "）早于开始日期（" + m.str(2) + "）";
            });
        add(R"re(^(\S+) is not a date YYYY-MM-DD: "(.*)"$)re", [](const std::smatch& m) {
            return m.str(1) + " 不是 YYYY-MM-DD 格式的日期：“" + m.str(2) + "”";
        });
        add(R"re(^(\S+) "(.*)" is not one of (.+)$)re", [](const std::smatch& m) {
            return m.str(1) + "“" + m.str(2) + "”不在可选值中（" + m.str(3) + "）";
        });
        add(R"re(^the photo's hash is not 64 lowercase hex digits$)re",
            [](auto&) { return "照片哈希不是 64 位小写十六进制"; });
        add(R"re(^the competitor's brand is empty$)re", [](auto&) { return "竞品品牌为空"; });
        add(R"re(^terminal (\S+) is not in rep (\S+)'s plan for (\S+) \((\d+) planned(?:; the nearest planned is (\S+), ([\d.]+) km away)?\)$)re",
            [](const std::smatch& m) {
                std::string text = "终端 " + m.str(1) + " 不在代表 " + m.str(2) + " " + m.str(3) +
                                   " 的计划中（计划 " + m.str(4) + " 家";
                if (m[5].matched)
                    text += "；最近的计划终端是 " + m.str(5) + "，相距 " + m.str(6) + " 公里";
                return text + "）";
            });
        return f;
    }();
    return all;
}

}  // namespace

std::optional<std::string> chinese_detail(std::string_view detail) {
    const std::string text(detail);
    std::smatch m;
    for (const auto& form : forms())
        if (std::regex_match(text, m, form.pattern)) return form.say(m);
    return std::nullopt;
}

}  // namespace fieldflow::core
