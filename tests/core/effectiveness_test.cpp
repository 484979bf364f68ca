#include "core/effectiveness.h"

#include <doctest/doctest.h>

using namespace fieldflow::core;

namespace {

// Milliseconds of a UTC time on a day of November 2026.
std::int64_t utc(int day, int hour, int minute) {
    return (std::int64_t(*parse_date("2026-11-01")) + day - 1) * 86'400'000 +
           (hour * 60 + minute) * 60'000LL;
}

MasterData graded_terminals() {
    MasterData m;
    for (auto [id, grade] : {std::pair{"T1", 'A'}, {"T2", 'B'}, {"T3", 'C'}, {"T4", 'C'}}) {
        Terminal t;
        t.id = id;
        t.grade = grade;
        m.terminals[id] = t;
    }
    return m;
}

VisitMark mark(const char* device, std::uint64_t seq, const char* terminal, std::int64_t at,
               bool in) {
    return {device, device == std::string("dev-1") ? "R1" : "R2", terminal, seq, at, in};
}

}  // namespace

TEST_CASE("effectiveness: visits per rep and day, minutes in store, coverage by grade") {
    std::vector<VisitMark> marks{
        // R1 on 3 November (China time): two closed visits, 30 and 45 minutes.
        mark("dev-1", 1, "T1", utc(3, 1, 0), true),
        mark("dev-1", 2, "T1", utc(3, 1, 30), false),
        mark("dev-1", 3, "T2", utc(3, 2, 0), true),
        mark("dev-1", 4, "T2", utc(3, 2, 45), false),
        // R1 on the 4th: a visit never checked out.
        mark("dev-1", 5, "T1", utc(4, 1, 0), true),
        // R2 on the 3rd at 23:30 UTC, which is the 4th in China; a check-out
        // at another terminal does not close it.
        mark("dev-2", 1, "T3", utc(3, 23, 30), true),
        mark("dev-2", 2, "T4", utc(4, 0, 10), false),
        // R2 on 30 November, 20:00 UTC: 1 December in China, another period.
        mark("dev-2", 3, "T3", utc(30, 20, 0), true),
    };
    auto report = field_effectiveness(marks, graded_terminals(), *parse_period("2026-11"));

    REQUIRE(report.rep_days.size() == 3);
    CHECK(report.rep_days[0].rep == "R1");
    CHECK(format_date(report.rep_days[0].day) == "2026-11-03");
    CHECK(report.rep_days[0].visits == 2);
    CHECK(report.rep_days[0].minutes_in_store == doctest::Approx(75));
    CHECK(report.rep_days[1].visits == 1);
    CHECK(report.rep_days[1].closed_visits == 0);
    CHECK(report.rep_days[2].rep == "R2");
    CHECK(format_date(report.rep_days[2].day) == "2026-11-04");
    CHECK(report.rep_days[2].closed_visits == 0);

    REQUIRE(report.grades.size() == 3);
    CHECK(report.grades[0].grade == 'A');
    CHECK(report.grades[0].target == 4);
    CHECK(report.grades[0].visits == 2);
    CHECK(report.grades[0].on_target == 0);
    CHECK(report.grades[2].grade == 'C');
    CHECK(report.grades[2].terminals == 2);
    CHECK(report.grades[2].on_target == 1);  // T3 once; T4 never

    VisitTargets easy{2, 1, 1};
    auto relaxed = field_effectiveness(marks, graded_terminals(), *parse_period("2026-11"), easy);
    CHECK(relaxed.grades[0].on_target == 1);
    CHECK(relaxed.grades[1].on_target == 1);
}

TEST_CASE("effectiveness: China days start at 16:00 UTC") {
    CHECK(format_date(china_day(utc(3, 15, 59))) == "2026-11-03");
    CHECK(format_date(china_day(utc(3, 16, 0))) == "2026-11-04");
    CHECK(china_day_start_ms(china_day(utc(3, 16, 0))) == utc(3, 16, 0));
    CHECK(china_day_start_ms(china_day(utc(3, 15, 59))) == utc(2, 16, 0));
}
