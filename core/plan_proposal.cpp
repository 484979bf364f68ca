#include "core/plan_proposal.h"

#include <algorithm>
#include <map>

#include "core/geo.h"
#include "core/route.h"
#include "core/territory.h"

namespace fieldflow::core {

int weekday(Day day) {
    // 1970-01-01 was a Thursday.
    int w = static_cast<int>((static_cast<std::int64_t>(day) + 3) % 7);
    return w < 0 ? w + 7 : w;
}

std::vector<Day> working_days(Period period) {
    std::vector<Day> days;
    for (Day d = first_day(period); d <= last_day(period); ++d)
        if (weekday(d) < 5) days.push_back(d);
    return days;
}

namespace {

std::string purpose(char grade) {
    return std::string("例行拜访(") + grade + "类)";
}

std::vector<Place> places_of(const std::vector<const Terminal*>& terminals) {
    std::vector<Place> places;
    for (const auto* t : terminals) places.push_back({t->lat, t->lon});
    return places;
}

// One short path through `places`, from the westernmost: a sweep across the
// area rather than out from its middle and back.
std::vector<std::size_t> sweep(const std::vector<Place>& places) {
    std::size_t west = 0;
    for (std::size_t k = 1; k < places.size(); ++k)
        if (places[k].lon < places[west].lon) west = k;
    return short_route(places, west);
}

// The terminals of each rep who visits terminals. Terminals that several
// reps cover equally narrowly are cut along one sweep into as many
// stretches as there are such reps, so that each gets a compact area.
std::map<std::string, std::vector<const Terminal*>> assign(const MasterData& master,
                                                           std::vector<std::string>& unassigned) {
    std::vector<const Rep*> reps;
    for (const auto& [id, rep] : master.reps)
        if (rep.role != RepRole::commercial) reps.push_back(&rep);
    std::sort(reps.begin(), reps.end(), [](const Rep* x, const Rep* y) { return x->id < y->id; });
    std::vector<const Terminal*> terminals;
    for (const auto& [id, terminal] : master.terminals) terminals.push_back(&terminal);
    std::sort(terminals.begin(), terminals.end(),
              [](const Terminal* x, const Terminal* y) { return x->id < y->id; });
    // By the reps that cover a terminal most narrowly.
    std::map<std::vector<std::string>, std::vector<const Terminal*>> shared;
    for (const auto* terminal : terminals) {
        std::vector<std::string> best;
        std::size_t narrowest = 0;
        for (const auto* rep : reps) {
            if (!covers(rep->territory, terminal->territory)) continue;
            if (best.empty() || rep->territory.size() > narrowest) {
                best = {rep->id};
                narrowest = rep->territory.size();
            } else if (rep->territory.size() == narrowest) {
                best.push_back(rep->id);
            }
        }
        if (best.empty())
            unassigned.push_back(terminal->id);
        else
            shared[best].push_back(terminal);
    }
    std::map<std::string, std::vector<const Terminal*>> of;
    for (const auto* rep : reps) of[rep->id];
    for (const auto& [ids, group] : shared) {
        auto order = sweep(places_of(group));
        for (std::size_t i = 0; i < order.size(); ++i)
            of[ids[i * ids.size() / order.size()]].push_back(group[order[i]]);
    }
    return of;
}

}  // namespace

double plan_route_length_m(const std::vector<PlannedVisit>& visits, const MasterData& master) {
    double length = 0;
    for (std::size_t i = 1; i < visits.size(); ++i) {
        const auto& from = visits[i - 1];
        const auto& to = visits[i];
        if (from.rep != to.rep || from.day != to.day) continue;
        const Terminal* a = master.terminal(from.terminal);
        const Terminal* b = master.terminal(to.terminal);
        if (a && b) length += distance_m(a->lat, a->lon, b->lat, b->lon);
    }
    return length;
}

PlanProposal propose_plan(const MasterData& master, const VisitTargets& targets,
                          const std::vector<Day>& days) {
    PlanProposal proposal;
    auto reps = assign(master, proposal.unassigned);
    for (const auto& [rep, terminals] : reps) {
        if (terminals.empty() || days.empty()) continue;
        auto places = places_of(terminals);
        auto route = sweep(places);

        std::vector<std::size_t> visits;  // indices into terminals, in the order to cut
        unsigned rounds = std::max({targets.a, targets.b, targets.c});
        for (unsigned round = 0; round < rounds; ++round)
            for (auto k : route)
                if (targets.for_grade(terminals[k]->grade) > round) visits.push_back(k);

        // Piece i of the days takes visits [ceil(i*V/D), ceil((i+1)*V/D)),
        // so that a month with fewer visits than days starts on its first
        // day; a terminal already in the piece moves on to the next one.
        const std::size_t total = visits.size(), day_count = days.size();
        std::vector<std::size_t> carried;
        std::size_t next = 0;
        for (std::size_t i = 0; i < day_count; ++i) {
            std::size_t end = ((i + 1) * total + day_count - 1) / day_count;
            std::vector<std::size_t> today;
            auto take = [&](std::size_t k) {
                if (std::find(today.begin(), today.end(), k) == today.end())
                    today.push_back(k);
                else
                    carried.push_back(k);
            };
            auto from_before = std::move(carried);
            carried.clear();
            for (auto k : from_before) take(k);
            for (; next < end; ++next) take(visits[next]);
            if (today.empty()) continue;
            std::vector<Place> stops;
            for (auto k : today) stops.push_back(places[k]);
            auto order = short_route(stops, 0);
            unsigned n = 0;
            for (auto at : order) {
                const Terminal* t = terminals[today[at]];
                proposal.visits.push_back({rep, days[i], t->id, purpose(t->grade), ++n});
            }
        }
        proposal.visits_short += static_cast<unsigned>(carried.size());
    }
    return proposal;
}

}  // namespace fieldflow::core
