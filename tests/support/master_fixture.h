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

// T1's place as the fixture writes it, for records sent from there. Only
// constants: a suite that does not link the writer (the core one) uses them too.
inline constexpr double t1_lat = 31.2304, t1_lon = 121.5060;

}  // namespace fieldflow::test
