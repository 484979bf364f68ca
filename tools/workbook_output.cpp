#include "tools/workbook_output.h"

#include <filesystem>
#include <iostream>

#include "tables/json_table.h"
#include "tables/xlsx_writer.h"
#include "tools/human_text.h"

namespace fieldflow::tools {

bool workbook_wanted(std::string_view command, const std::string& format, const std::string& out) {
    if (format == "xlsx" && out.empty()) {
        std::cerr << "fieldflow " << command
                  << ": --format xlsx writes a workbook, which a terminal cannot show: "
                     "name the file with --out FILE.xlsx\n";
        return false;
    }
    if (format != "xlsx" && !out.empty()) {
        std::cerr << "fieldflow " << command << ": --out is for --format xlsx; " << format
                  << " goes to standard output\n";
        return false;
    }
    return true;
}

int write_workbook(std::string_view command, std::string_view table, const nlohmann::json& rows,
                   const std::string& out) {
    tables::XlsxOptions options;
    options.language = language_from_environment();
    options.sheet_name = tables::title_of(table).in(options.language);
    auto columns = tables::columns_of(rows, tables::known_columns(table));
    try {
        tables::XlsxWriter workbook(out, columns, options);
        for (const auto& row : rows) workbook.row(tables::cells_of(row, columns, options.language));
        workbook.finish();
    } catch (const std::exception& e) {
        std::error_code ignored;
        std::filesystem::remove(out, ignored);
        std::cerr << "fieldflow " << command << ": " << e.what() << "\n";
        return 1;
    }
    return 0;
}

}  // namespace fieldflow::tools
