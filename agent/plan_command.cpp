#include "agent/plan_command.h"

#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <string_view>

#include "agent/plan_held.h"
#include "agent/usage_error.h"
#include "core/calendar.h"
#include "core/effectiveness.h"
#include "program/message_language.h"

namespace fieldflow::agent {

namespace {

struct Known {
    std::string name, address;
};

std::map<std::string, Known> known_terminals(SQLite::Database& db) {
    SQLite::Statement q(db, "SELECT terminal, name, address FROM master_terminals");
    std::map<std::string, Known> out;
    while (q.executeStep())
        out[q.getColumn(0).getString()] = {q.getColumn(1).getString(), q.getColumn(2).getString()};
    return out;
}

std::string metres(double m) {
    return m < 1000 ? std::to_string(std::lround(m)) + " m"
                    : std::to_string(std::lround(m / 100) / 10) + "." +
                          std::to_string(std::lround(m / 100) % 10) + " km";
}

nlohmann::json stop_json(const TodayStop& s) {
    nlohmann::json j{{"terminal", s.terminal}, {"name", s.name},         {"address", s.address},
                     {"order", s.order},       {"radius_m", s.radius_m}, {"done", s.done}};
    j["distance_m"] = s.distance_m ? nlohmann::json(std::round(*s.distance_m)) : nullptr;
    return j;
}

void print_stop(const TodayStop& s, bool zh, std::ostream& out) {
    out << "  " << (s.order ? std::to_string(s.order) : " ") << "  " << s.terminal;
    if (!s.name.empty()) out << "  " << s.name;
    if (!s.address.empty()) out << "  " << s.address;
    if (s.distance_m) out << "  " << metres(*s.distance_m);
    if (s.done) out << (zh ? "  已拜访" : "  done");
    out << '\n';
}

}  // namespace

void print_plan(Outbox& outbox, const std::optional<std::string>& day, bool json,
                std::int64_t now_ms, std::ostream& out) {
    auto& db = outbox.database();
    auto held = held_plan(db);
    core::Day from = held ? held->first : core::china_day(now_ms);
    core::Day to = held ? held->last : from;
    if (day) {
        auto parsed = core::parse_date(*day);
        if (!parsed) throw UsageError("--day " + *day + " is not a date (YYYY-MM-DD)");
        from = to = *parsed;
    }
    auto visits = held_visits(db, from, to);
    auto terminals = known_terminals(db);
    bool zh = program::chinese_messages();
    if (json) {
        nlohmann::json days = nlohmann::json::array();
        for (core::Day d = from; d <= to; ++d) {
            auto done = checked_in_on(outbox, d);
            nlohmann::json list = nlohmann::json::array();
            for (const auto& v : visits) {
                if (v.day != d) continue;
                const auto& k = terminals[v.terminal];
                list.push_back({{"order", v.order},
                                {"terminal", v.terminal},
                                {"name", k.name},
                                {"address", k.address},
                                {"purpose", v.purpose},
                                {"done", done.count(v.terminal) > 0}});
            }
            days.push_back({{"day", core::format_date(d)}, {"visits", list}});
        }
        out << nlohmann::json{{"plan_version", held ? held->version : 0}, {"days", days}}.dump()
            << '\n';
        return;
    }
    if (!held) {
        out << (zh ? "还没有拜访计划:同步时下载\n" : "no plan yet: sync downloads it\n");
        return;
    }
    for (core::Day d = from; d <= to; ++d) {
        auto date = core::format_date(d);
        auto done = checked_in_on(outbox, d);
        std::size_t planned = 0;
        for (const auto& v : visits) planned += v.day == d;
        if (planned == 0) {
            if (day) out << (zh ? date + " 没有拜访计划\n" : "no plan for " + date + "\n");
            continue;
        }
        out << (zh ? date + " 计划拜访 " + std::to_string(planned) + " 家(计划版本 " +
                         std::to_string(held->version) + ")\n"
                   : date + ": " + std::to_string(planned) + " planned visit" +
                         (planned == 1 ? "" : "s") + " (plan version " +
                         std::to_string(held->version) + ")\n");
        for (const auto& v : visits) {
            if (v.day != d) continue;
            const auto& k = terminals[v.terminal];
            TodayStop stop{v.terminal,
                           k.name,
                           k.address,
                           static_cast<int>(v.order),
                           {},
                           0,
                           done.count(v.terminal) > 0};
            print_stop(stop, zh, out);
            if (!v.purpose.empty()) out << "     " << v.purpose << '\n';
        }
    }
}

std::string plan_today_json(const Today& today) {
    nlohmann::json stops = nlohmann::json::array();
    std::size_t done = 0;
    for (const auto& s : today.plan) {
        stops.push_back({{"terminal", s.terminal}, {"order", s.order}, {"done", s.done}});
        done += s.done;
    }
    return nlohmann::json{
        {"day", today.day}, {"planned", today.plan.size()}, {"done", done}, {"stops", stops}}
        .dump();
}

nlohmann::json today_json(const Today& today) {
    nlohmann::json plan = nlohmann::json::array(), nearby = nlohmann::json::array();
    for (const auto& s : today.plan) plan.push_back(stop_json(s));
    for (const auto& s : today.nearby) nearby.push_back(stop_json(s));
    return {{"day", today.day}, {"plan", plan}, {"nearby", nearby}};
}

void print_today(const Today& today, bool json, std::ostream& out) {
    if (json) {
        out << today_json(today).dump() << '\n';
        return;
    }
    bool zh = program::chinese_messages();
    std::size_t done = 0;
    for (const auto& s : today.plan) done += s.done;
    if (today.plan.empty())
        out << (zh ? today.day + " 没有拜访计划\n" : today.day + ": no visits planned\n");
    else
        out << (zh ? today.day + " 今日计划拜访 " + std::to_string(today.plan.size()) +
                         " 家,已拜访 " + std::to_string(done) + " 家\n"
                   : today.day + ": " + std::to_string(today.plan.size()) + " planned visit" +
                         (today.plan.size() == 1 ? "" : "s") + ", " + std::to_string(done) +
                         " done\n");
    for (const auto& s : today.plan) print_stop(s, zh, out);
    if (today.nearby.empty()) return;
    out << (zh ? "附近(不在计划中):\n" : "nearby, not in the plan:\n");
    for (const auto& s : today.nearby) print_stop(s, zh, out);
}

}  // namespace fieldflow::agent
