#include "agent/today.h"

#include <SQLiteCpp/Statement.h>

#include <algorithm>

#include "core/effectiveness.h"
#include "core/geo.h"

namespace fieldflow::agent {

std::set<std::string> checked_in_on(Outbox& outbox, core::Day day) {
    return outbox.checked_in_between(core::china_day_start_ms(day),
                                     core::china_day_start_ms(day + 1));
}

Today today(Outbox& handheld, const std::optional<core::Fix>& fix, std::int64_t now_ms) {
    auto& outbox = handheld.database();
    Today out;
    auto day = core::china_day(now_ms);
    out.day = core::format_date(day);
    auto done = checked_in_on(handheld, day);
    auto measured = [&](TodayStop& stop, double lat, double lon) {
        if (fix) stop.distance_m = core::distance_m(fix->lat, fix->lon, lat, lon);
    };
    // A planned terminal the master data no longer holds still shows, by id:
    // the plan is what the rep was asked to do.
    SQLite::Statement planned(
        outbox,
        "SELECT p.terminal, p.position, t.name, t.address, t.lat, t.lon, t.radius_m "
        "FROM plan_visits p LEFT JOIN master_terminals t ON t.terminal = p.terminal "
        "WHERE p.day = ?1 ORDER BY p.position");
    planned.bind(1, day);
    std::set<std::string> in_plan;
    while (planned.executeStep()) {
        TodayStop stop;
        stop.terminal = planned.getColumn(0).getString();
        stop.order = planned.getColumn(1).getInt();
        stop.done = done.count(stop.terminal) > 0;
        if (!planned.getColumn(2).isNull()) {
            stop.name = planned.getColumn(2).getString();
            stop.address = planned.getColumn(3).getString();
            stop.radius_m = planned.getColumn(6).getDouble();
            measured(stop, planned.getColumn(4).getDouble(), planned.getColumn(5).getDouble());
        }
        in_plan.insert(stop.terminal);
        out.plan.push_back(std::move(stop));
    }
    if (!fix) return out;
    // A rep's slice is a few thousand terminals at most: measuring each is
    // well under a millisecond, as for checkin --nearest.
    SQLite::Statement known(outbox,
                            "SELECT terminal, name, address, lat, lon, radius_m "
                            "FROM master_terminals");
    while (known.executeStep()) {
        TodayStop stop;
        stop.terminal = known.getColumn(0).getString();
        if (in_plan.count(stop.terminal)) continue;
        measured(stop, known.getColumn(3).getDouble(), known.getColumn(4).getDouble());
        if (*stop.distance_m > nearby_radius_m) continue;
        stop.name = known.getColumn(1).getString();
        stop.address = known.getColumn(2).getString();
        stop.radius_m = known.getColumn(5).getDouble();
        stop.done = done.count(stop.terminal) > 0;
        out.nearby.push_back(std::move(stop));
    }
    std::sort(out.nearby.begin(), out.nearby.end(), [](const TodayStop& a, const TodayStop& b) {
        return *a.distance_m != *b.distance_m ? *a.distance_m < *b.distance_m
                                              : a.terminal < b.terminal;
    });
    if (out.nearby.size() > nearby_limit) out.nearby.resize(nearby_limit);
    return out;
}

}  // namespace fieldflow::agent
