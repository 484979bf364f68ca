#pragma once
// The reader's options as shipped, for the scan suites. Its time budget is
// wall time chosen for an optimised build; a sanitizer build does the same
// work many times slower, so it gets as many times the budget
// (FIELDFLOW_TEST_TIME_SCALE) and runs the same passes.

#include "scan/reader.h"

namespace fieldflow::test {

inline scan::ScanOptions shipped_scan_options() {
#ifdef FIELDFLOW_TEST_TIME_SCALE
    constexpr int scale = FIELDFLOW_TEST_TIME_SCALE;
#else
    constexpr int scale = 1;
#endif
    scan::ScanOptions options;
    options.budget *= scale;
    return options;
}

}  // namespace fieldflow::test
