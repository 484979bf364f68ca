// `fieldflow summary`: what the store holds at a glance.

#include <filesystem>
#include <iomanip>
#include <iostream>

#include "store/gateway_store.h"
#include "tools/commands.h"

namespace fieldflow::tools {

int summary_command(const SummaryOptions& o) {
    if (!existing_store("summary", o.db)) return 1;
    store::GatewayStore store(o.db);
    auto counts = store.counts();
    auto total = counts.accepted + counts.flagged + counts.rejected;
    std::cout << "records     " << std::setw(8) << total << '\n'
              << "  accepted  " << std::setw(8) << counts.accepted << '\n'
              << "  flagged   " << std::setw(8) << counts.flagged << '\n'
              << "  rejected  " << std::setw(8) << counts.rejected << "  (kept in quarantine)\n\n"
              << "by kind and verdict\n";
    for (const auto& t : store.kinds_by_verdict())
        std::cout << "  " << std::left << std::setw(28) << t.key << std::right << std::setw(8)
                  << t.count << '\n';
    auto reasons = store.reasons_by_frequency();
    std::cout << "\nreasons\n";
    if (reasons.empty()) std::cout << "  (none)\n";
    for (const auto& t : reasons)
        std::cout << "  " << std::left << std::setw(28) << t.key << std::right << std::setw(8)
                  << t.count << '\n';
    return 0;
}

}  // namespace fieldflow::tools
