#pragma once
// Field effectiveness from the visits the reps recorded: visits per rep and
// day, minutes spent in store, and how many A, B and C terminals got the
// visits a month they should (by default A 4, B 3, C 1).

#include <cstdint>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/master_data.h"

namespace fieldflow::core {

// A booked check-in or check-out.
struct VisitMark {
    std::string device, rep, terminal;
    std::uint64_t seq = 0;
    std::int64_t at_ms = 0;  // device clock at capture
    bool check_in = true;
};

struct VisitTargets {
    unsigned a = 4, b = 3, c = 1;
    unsigned for_grade(char grade) const;
};

struct RepDay {
    std::string rep;
    Day day = 0;
    unsigned visits = 0;
    unsigned closed_visits = 0;  // those with a check-out: minutes are known
    double minutes_in_store = 0;
};

struct GradeCoverage {
    char grade = 'A';
    unsigned terminals = 0;
    unsigned target = 0;     // visits a month each
    unsigned on_target = 0;  // terminals visited at least `target` times
    unsigned visits = 0;
};

struct TerminalVisits {
    std::string terminal;
    char grade = 'C';
    unsigned visits = 0;
    unsigned target = 0;
};

struct Effectiveness {
    std::vector<RepDay> rep_days;           // by rep, day
    std::vector<GradeCoverage> grades;      // A, B, C
    std::vector<TerminalVisits> terminals;  // every terminal of the master data, by id
};

// Days are China Standard Time (UTC+8), where the reps work. A visit belongs
// to the day and period of its check-in; a check-in closes at the device's
// next check-out at the same terminal.
Effectiveness field_effectiveness(std::vector<VisitMark> marks, const MasterData& master,
                                  Period period, const VisitTargets& targets = {});

// The day in China Standard Time of a device timestamp.
Day china_day(std::int64_t ms);
// The first millisecond (Unix time) of China Standard Time day `day`.
std::int64_t china_day_start_ms(Day day);

}  // namespace fieldflow::core
