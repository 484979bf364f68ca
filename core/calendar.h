#pragma once
// Days and periods of the distribution books. A day is counted from
// 1970-01-01 and a period is a calendar month, both as plain integers so
// that ten million rows sort and compare without parsing.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fieldflow::core {

using Day = std::int32_t;     // days since 1970-01-01
using Period = std::int32_t;  // year * 12 + month - 1

// "YYYY-MM-DD", a real date; nothing else.
std::optional<Day> parse_date(std::string_view text);
// "YYYY-MM".
std::optional<Period> parse_period(std::string_view text);

std::string format_date(Day day);
std::string format_period(Period period);

Period period_of(Day day);
Day first_day(Period period);
Day last_day(Period period);

}  // namespace fieldflow::core
