#include "core/calendar.h"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace fieldflow::core {

namespace {

using namespace std::chrono;

// Digits only, exactly as many as the field has: from_chars alone would take a sign.
std::optional<int> digits(std::string_view text) {
    if (text.empty()) return std::nullopt;
    for (char c : text)
        if (c < '0' || c > '9') return std::nullopt;
    int value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
}

year_month_day to_ymd(Day day) {
    return year_month_day{sys_days{days{day}}};
}

}  // namespace

std::optional<Day> parse_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    auto y = digits(text.substr(0, 4)), m = digits(text.substr(5, 2)),
         d = digits(text.substr(8, 2));
    if (!y || !m || !d) return std::nullopt;
    year_month_day date{year{*y}, month{static_cast<unsigned>(*m)}, day{static_cast<unsigned>(*d)}};
    if (!date.ok()) return std::nullopt;
    return static_cast<Day>(sys_days{date}.time_since_epoch().count());
}

std::optional<Period> parse_period(std::string_view text) {
    if (text.size() != 7 || text[4] != '-') return std::nullopt;
    auto y = digits(text.substr(0, 4)), m = digits(text.substr(5, 2));
    if (!y || !m || *m < 1 || *m > 12) return std::nullopt;
    return *y * 12 + *m - 1;
}

std::string format_date(Day day) {
    auto date = to_ymd(day);
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return text;
}

std::string format_period(Period period) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d", period / 12, period % 12 + 1);
    return text;
}

Period period_of(Day day) {
    auto date = to_ymd(day);
    return static_cast<int>(date.year()) * 12 + static_cast<int>(unsigned(date.month())) - 1;
}

Day first_day(Period period) {
    year_month_day date{year{period / 12}, month{static_cast<unsigned>(period % 12 + 1)}, day{1}};
    return static_cast<Day>(sys_days{date}.time_since_epoch().count());
}

Day last_day(Period period) {
    return first_day(period + 1) - 1;
}

}  // namespace fieldflow::core
