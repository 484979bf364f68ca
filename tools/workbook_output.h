#pragma once
// `--format xlsx --out FILE` of the commands that print a table (ledger,
// anomalies, effectiveness): the same rows as their CSV and JSON, as an
// Excel workbook headed in the language of LANG (tables/xlsx_writer.h).

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace fieldflow::tools {

// Whether `command` may write a workbook to `out`; if not, says why on
// stderr. A workbook is binary: it is never written to the terminal or a
// pipe, only to the file --out names.
bool workbook_wanted(std::string_view command, const std::string& format, const std::string& out);

// Writes `rows` (JSON objects) as table `table` (tables/json_table.h) to
// `out`. Returns the exit code: 0, or 1 with the reason on stderr and no
// half-written file left behind.
int write_workbook(std::string_view command, std::string_view table, const nlohmann::json& rows,
                   const std::string& out);

}  // namespace fieldflow::tools
