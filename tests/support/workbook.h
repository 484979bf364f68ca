#pragma once
// An .xlsx file as openpyxl (Debian's python3-openpyxl) reads it, the way
// a spreadsheet would: tests/support/read_workbook.py says what is in it.

#include <nlohmann/json.hpp>

#include <string>

#include "support/process.h"

namespace fieldflow::test {

// {"sheets": [{"name", "freeze", "widths": {"A": ...}, "rows": [[{"t", "v"}]]}]};
// null when the file does not read as a workbook.
inline nlohmann::json read_workbook(const std::string& path) {
    // Debian's own interpreter: the package installs for it, not for
    // another python3 that may come first on PATH.
    auto read = run({"/usr/bin/python3",
                     std::string(FIELDFLOW_SOURCE_DIR) + "/tests/support/read_workbook.py", path});
    if (read.code != 0) return nullptr;
    return nlohmann::json::parse(read.out, nullptr, false);
}

}  // namespace fieldflow::test
