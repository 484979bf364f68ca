#pragma once
// Power cuts against the real code, in this process (support/power_cut_vfs.h):
// the agent's Outbox while it captures, the Outbox while agent::sync drains
// it into an in-process gateway, and the gateway's group commit
// (gateway::Ingest over a GatewayStore) while devices send batches. Each
// trial cuts at a random count of the VFS's calls, throws away or tears
// what no sync covered, reopens as the program would after the power came
// back, and checks the files.

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace fieldflow::test {

struct PowerCutPlan {
    int capture_cuts = 0;  // cuts while the agent captures
    int sync_cuts = 0;     // cuts while the agent syncs (the outbox deletes acked records)
    int commit_cuts = 0;   // cuts while the gateway commits groups of batches
    unsigned seed = 20261203;
    std::ostream* progress = nullptr;  // a line per hundred cuts, when set
};

struct PowerCutTally {
    std::string phase;  // capture, sync, group commit
    int cuts = 0;
    int finished = 0;                   // trials that ended before their cut came
    int torn = 0;                       // cuts that kept a random part of the unsynced writes
    std::uint64_t promised = 0;         // records the device was told were saved, or acked
    int lost = 0;                       // promised records neither queued nor stored after a cut
    int duplicated = 0;                 // records stored more than once (or a seq given twice)
    int damaged = 0;                    // databases that did not open or failed integrity_check
    std::map<std::string, int> cut_at;  // cuts by the call they came at ("write WAL" ...)
    std::vector<std::string> failures;  // the first few, said in full
};

// Runs the plan's cuts, phase by phase. Throws when the code under test
// fails for any reason other than the cut.
std::vector<PowerCutTally> run_power_cuts(const PowerCutPlan& plan);

}  // namespace fieldflow::test
