#include "core/effectiveness.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace fieldflow::core {

unsigned VisitTargets::for_grade(char grade) const {
    return grade == 'A' ? a : grade == 'B' ? b : c;
}

namespace {

constexpr std::int64_t day_ms = 86'400'000, china_offset_ms = 8 * 3'600'000;

}  // namespace

Day china_day(std::int64_t ms) {
    std::int64_t local = ms + china_offset_ms;
    return static_cast<Day>(local >= 0 ? local / day_ms : (local - day_ms + 1) / day_ms);
}

std::int64_t china_day_start_ms(Day day) {
    return static_cast<std::int64_t>(day) * day_ms - china_offset_ms;
}

Effectiveness field_effectiveness(std::vector<VisitMark> marks, const MasterData& master,
                                  Period period, const VisitTargets& targets) {
    std::sort(marks.begin(), marks.end(), [](const VisitMark& x, const VisitMark& y) {
        return std::tie(x.device, x.seq) < std::tie(y.device, y.seq);
    });
    std::map<std::pair<std::string, Day>, RepDay> days;
    std::map<std::string, unsigned> visits_at;
    for (std::size_t i = 0; i < marks.size(); ++i) {
        const VisitMark& in = marks[i];
        if (!in.check_in) continue;
        Day day = china_day(in.at_ms);
        if (period_of(day) != period) continue;
        RepDay& rep_day = days[{in.rep, day}];
        rep_day.rep = in.rep;
        rep_day.day = day;
        ++rep_day.visits;
        ++visits_at[in.terminal];
        // The device's next mark closes the visit when it is a check-out here.
        if (i + 1 < marks.size()) {
            const VisitMark& out = marks[i + 1];
            if (out.device == in.device && !out.check_in && out.terminal == in.terminal &&
                out.at_ms >= in.at_ms) {
                ++rep_day.closed_visits;
                rep_day.minutes_in_store += double(out.at_ms - in.at_ms) / 60'000.0;
            }
        }
    }

    Effectiveness report;
    for (auto& [key, rep_day] : days) report.rep_days.push_back(rep_day);
    std::map<char, GradeCoverage> grades;
    for (char g : {'A', 'B', 'C'}) grades[g] = {g, 0, targets.for_grade(g), 0, 0};
    for (const auto& [id, terminal] : master.terminals) {
        unsigned visits = visits_at.count(id) ? visits_at[id] : 0;
        unsigned target = targets.for_grade(terminal.grade);
        report.terminals.push_back({id, terminal.grade, visits, target});
        GradeCoverage& g = grades[terminal.grade];
        ++g.terminals;
        g.visits += visits;
        if (visits >= target) ++g.on_target;
    }
    std::sort(
        report.terminals.begin(), report.terminals.end(),
        [](const TerminalVisits& x, const TerminalVisits& y) { return x.terminal < y.terminal; });
    for (auto& [grade, coverage] : grades) report.grades.push_back(coverage);
    return report;
}

}  // namespace fieldflow::core
