// Proposed plans: every terminal gets its target's visits on working days,
// each day's stops are neighbours in a short order, and the daily routes
// are measured against the same days walked in a random order.

#include "core/plan_proposal.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

using namespace fieldflow::core;

namespace {

// `count` terminals over Pudong (about 15 km across), grades A, B, C in
// turn; two retail reps sharing it, a commercial rep, and one terminal in
// Hangzhou that no rep covers.
MasterData district(unsigned count) {
    MasterData m;
    std::mt19937 random(11);
    std::uniform_real_distribution<double> lat(31.15, 31.28), lon(121.48, 121.65);
    for (unsigned i = 0; i < count; ++i) {
        Terminal t;
        t.id = "T" + std::to_string(100 + i);
        t.territory = "CN-SH-PD";
        t.lat = lat(random);
        t.lon = lon(random);
        t.grade = "ABC"[i % 3];
        m.terminals.emplace(t.id, t);
    }
    Terminal away;
    away.id = "T999";
    away.territory = "CN-ZJ-HZ";
    m.terminals.emplace(away.id, away);
    for (auto [id, role] :
         {std::pair{"R1", RepRole::retail}, {"R2", RepRole::otc}, {"R3", RepRole::commercial}}) {
        Rep r;
        r.id = id;
        r.role = role;
        r.territory = "CN-SH";
        m.reps.emplace(id, r);
    }
    return m;
}

}  // namespace

TEST_CASE("plan proposal: working days are Monday to Friday") {
    auto days = working_days(*parse_period("2026-03"));
    CHECK(days.size() == 22);
    CHECK(format_date(days.front()) == "2026-03-02");
    CHECK(format_date(days.back()) == "2026-03-31");
    CHECK(weekday(*parse_date("2026-03-07")) == 5);  // a Saturday
}

TEST_CASE("plan proposal: every terminal gets its target, on distinct working days") {
    auto master = district(60);
    VisitTargets targets;  // A 4, B 3, C 1
    auto days = working_days(*parse_period("2026-03"));
    auto proposal = propose_plan(master, targets, days);
    CHECK(proposal.unassigned == std::vector<std::string>{"T999"});
    CHECK(proposal.visits_short == 0);

    std::map<std::string, std::set<Day>> days_of;
    std::map<std::string, std::string> rep_of;
    std::map<std::pair<std::string, Day>, unsigned> per_day;
    for (const auto& v : proposal.visits) {
        CHECK(v.rep != "R3");
        CHECK(std::find(days.begin(), days.end(), v.day) != days.end());
        CHECK_MESSAGE(days_of[v.terminal].insert(v.day).second, v.terminal << " twice a day");
        // One rep per terminal.
        CHECK(rep_of.emplace(v.terminal, v.rep).first->second == v.rep);
        ++per_day[{v.rep, v.day}];
    }
    // Named, not bound: clang 14 cannot capture a structured binding in
    // the lambda CHECK_MESSAGE makes.
    for (const auto& entry : master.terminals) {
        const std::string& id = entry.first;
        if (id == "T999") continue;
        CHECK_MESSAGE(days_of[id].size() == targets.for_grade(entry.second.grade), id);
    }
    // The two retail reps share the terminals evenly, and each day's load is
    // even: 60 terminals need 160 visits, 80 each over 22 days.
    std::set<std::string> reps;
    for (const auto& [id, rep] : rep_of) reps.insert(rep);
    CHECK(reps == std::set<std::string>{"R1", "R2"});
    for (const auto& [day, visits] : per_day) {
        CHECK(visits >= 2);
        CHECK(visits <= 6);
    }
    // Orders run 1, 2, ... within each rep's day.
    for (std::size_t i = 0; i < proposal.visits.size(); ++i) {
        const auto& v = proposal.visits[i];
        bool first =
            i == 0 || proposal.visits[i - 1].rep != v.rep || proposal.visits[i - 1].day != v.day;
        CHECK(v.order == (first ? 1u : proposal.visits[i - 1].order + 1));
    }
}

TEST_CASE("plan proposal: daily routes are far shorter than the same days in a random order") {
    auto master = district(90);
    auto days = working_days(*parse_period("2026-03"));
    auto proposal = propose_plan(master, VisitTargets{}, days);
    double ours = plan_route_length_m(proposal.visits, master);

    // The same visits, each rep's month dealt into its days at random and
    // walked in a random order: what a plan made without the map would be.
    auto shuffled = proposal.visits;
    std::mt19937 random(5);
    std::map<std::string, std::vector<std::size_t>> by_rep;
    for (std::size_t i = 0; i < shuffled.size(); ++i) by_rep[shuffled[i].rep].push_back(i);
    for (auto& [rep, indices] : by_rep) {
        std::vector<std::string> terminals;
        for (auto i : indices) terminals.push_back(shuffled[i].terminal);
        std::shuffle(terminals.begin(), terminals.end(), random);
        for (std::size_t k = 0; k < indices.size(); ++k)
            shuffled[indices[k]].terminal = terminals[k];
    }
    double random_plan = plan_route_length_m(shuffled, master);
    // Only the order within each of our days shuffled: the grouping's share.
    auto reordered = proposal.visits;
    for (std::size_t i = 0; i < reordered.size();) {
        std::size_t j = i;
        while (j < reordered.size() && reordered[j].rep == reordered[i].rep &&
               reordered[j].day == reordered[i].day)
            ++j;
        std::shuffle(reordered.begin() + static_cast<std::ptrdiff_t>(i),
                     reordered.begin() + static_cast<std::ptrdiff_t>(j), random);
        i = j;
    }
    double random_order = plan_route_length_m(reordered, master);
    MESSAGE("90 terminals, 2 reps, 2026-03: " << proposal.visits.size() << " visits; routes "
                                              << ours / 1000 << " km; our days in random order "
                                              << random_order / 1000 << " km; random days "
                                              << random_plan / 1000 << " km");
    CHECK(ours < random_order * 0.8);
    CHECK(ours < random_plan * 0.5);
}

TEST_CASE("plan proposal: a month too short for a target says how many visits did not fit") {
    auto master = district(3);
    std::vector<Day> two_days{*parse_date("2026-03-02"), *parse_date("2026-03-03")};
    auto proposal = propose_plan(master, VisitTargets{4, 3, 1}, two_days);
    // T100 (A) and T101 (B) can have two visits each, T102 (C) one.
    CHECK(proposal.visits.size() == 5);
    CHECK(proposal.visits_short == 2 + 1);
}
