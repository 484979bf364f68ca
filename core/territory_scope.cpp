#include "core/territory_scope.h"

#include "core/territory.h"

namespace fieldflow::core {

bool TerritoryScope::place(std::string_view territory) const {
    return everything() || covers_any(territories_, territory);
}

bool TerritoryScope::terminal(const MasterData& master, const std::string& id) const {
    if (everything()) return true;
    const Terminal* t = master.terminal(id);
    return t && place(t->territory);
}

bool TerritoryScope::rep(const MasterData& master, const std::string& id) const {
    if (everything()) return true;
    const Rep* r = master.rep(id);
    return r && place(r->territory);
}

bool TerritoryScope::distributor(const MasterData& master, const std::string& id) const {
    if (everything()) return true;
    const Distributor* d = master.distributor(id);
    if (!d) return false;
    for (const auto& served : d->territories)
        for (const auto& mine : territories_)
            if (covers(mine, served) || covers(served, mine)) return true;
    return false;
}

bool TerritoryScope::record(const MasterData& master, const std::string& terminal_id,
                            const std::string& rep_id) const {
    if (everything()) return true;
    if (const Terminal* t = master.terminal(terminal_id)) return place(t->territory);
    return rep(master, rep_id);
}

}  // namespace fieldflow::core
