#pragma once
// What an operator limited to some territories may see of the field.
// Master data says where things are: a terminal has one territory, a rep
// one, a distributor several. A record belongs to the terminal it names,
// and to its rep's territory when it names none master data knows (a
// rep's own check-out, a terminal since removed); a device goes with its
// rep. A distributor is in scope when one of its territories and the
// scope overlap, either way round: "CN-SH" sees a distributor of "CN",
// whose books hold Shanghai's flows, and "CN" sees one of "CN-SH". What
// master data does not place is out of every limited scope.

#include <string>
#include <string_view>
#include <vector>

#include "core/master_data.h"

namespace fieldflow::core {

class TerritoryScope {
  public:
    TerritoryScope() = default;  // every territory
    // Empty for every territory.
    explicit TerritoryScope(std::vector<std::string> territories)
        : territories_(std::move(territories)) {}

    bool everything() const { return territories_.empty(); }
    bool place(std::string_view territory) const;
    bool terminal(const MasterData& master, const std::string& id) const;
    bool rep(const MasterData& master, const std::string& id) const;
    bool distributor(const MasterData& master, const std::string& id) const;
    // `terminal` as the record's payload names it, empty when it names none.
    bool record(const MasterData& master, const std::string& terminal,
                const std::string& rep) const;

  private:
    std::vector<std::string> territories_;
};

}  // namespace fieldflow::core
