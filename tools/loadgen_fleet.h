#pragma once
// The simulated fleet of `fieldflow loadgen` and what each handheld sends,
// as the field sends it. A retail or OTC rep's device sends visits of ten
// records: a check-in at its terminal, eight records drawn by the mix
// (stock counts, scans of serialised packs as GS1 DataMatrix or 20-digit
// traceability codes, terminal sales), and a check-out. A commercial rep's
// device sends its distributors' stock reports.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/master_data.h"

namespace fieldflow::tools {

// How many of a visit's eight middle records are of each kind, in turn.
struct VisitMix {
    unsigned count = 4, scan = 3, sales = 1;
};

// "count=4,scan=3,sales=1"; kinds left out weigh 0. Nullopt, with `error`
// naming what was wrong, when the text is not such a list or weighs nothing.
std::optional<VisitMix> parse_mix(std::string_view text, std::string& error);

struct Agent {
    std::string device, rep, terminal, credential;
    std::string distributor;  // set for a commercial rep: it sends stock reports
    double lat = 0, lon = 0;
    unsigned number = 0;  // 1-based, unique in the fleet: part of its packs' serials
};

// `count` devices numbered from `first` and named PREFIX-NNNNN after their
// numbers, their reps taken from master data in turn, each visiting a
// terminal in its rep's territory when there is one. Fleets numbered apart
// scan packs apart, so a second fleet is new to a gateway that served the first.
std::vector<Agent> make_fleet(const core::MasterData& master, unsigned count,
                              const std::string& prefix, unsigned first = 1);

class RecordMaker {
  public:
    RecordMaker(const core::MasterData& master, VisitMix mix);

    // The Cap'n Proto envelope of record `seq` (1-based) of `agent`.
    std::vector<std::byte> record(const Agent& agent, std::uint64_t seq) const;

  private:
    enum class Kind { count, scan, sales };
    std::vector<Kind> pattern_;  // the middle records' kinds, repeating
    std::vector<const core::Product*> products_;
};

}  // namespace fieldflow::tools
