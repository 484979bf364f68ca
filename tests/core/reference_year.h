#pragma once
// The year the suite's codes are read in: a two-digit year in them takes its
// century from it (core/gs1.h).

namespace fieldflow::test {

inline constexpr int reference_year = 2026;

}  // namespace fieldflow::test
