#pragma once
#include <filesystem>
#include <string>

namespace fieldflow::test {

// Writes a small, valid master-data folder under `parent` and returns its path:
// products P1, P2; terminals T1 (CN-SH-PD, 31.2304/121.5060, 100 m) and
// T2 (CN-ZJ-HZ); reps R1 (retail, CN-SH, dev-001), R2 (otc, CN-ZJ, dev-002)
// and R3 (commercial, CN-SH, dev-003); distributors D1 (tier 1, CN-SH and
// CN-ZJ) and D2 (tier 2, CN-SH-PD).
std::string write_master_fixture(const std::filesystem::path& parent);

}  // namespace fieldflow::test
