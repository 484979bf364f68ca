#include "core/master_slice.h"

#include <algorithm>

#include "core/territory.h"

namespace fieldflow::core {

MasterData master_slice(const MasterData& data, const std::string& rep) {
    MasterData slice;
    slice.products = data.products;
    const Rep* who = data.rep(rep);
    if (!who) return slice;
    slice.reps.emplace(who->id, *who);
    for (const auto& [id, terminal] : data.terminals)
        if (covers(who->territory, terminal.territory)) slice.terminals.emplace(id, terminal);
    // A distributor serves the rep's territory when one of its territories
    // lies within it or holds it (a province-wide distributor serves a district).
    for (const auto& [id, distributor] : data.distributors) {
        bool serves =
            std::any_of(distributor.territories.begin(), distributor.territories.end(),
                        [&](const std::string& place) {
                            return covers(who->territory, place) || covers(place, who->territory);
                        });
        if (serves) slice.distributors.emplace(id, distributor);
    }
    return slice;
}

}  // namespace fieldflow::core
