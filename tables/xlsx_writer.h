#pragma once
// A table as an Excel workbook (libxlsxwriter): numbers as numbers, days and
// instants as Excel dates with a date format, text always as text (a cell
// that begins with = is never a formula), the header row frozen and bold,
// and every column as wide as its widest cell (a Chinese character counts
// two).
//
// Rows go to disk as they come (libxlsxwriter's constant_memory mode), so
// a long table costs a row's memory, not the workbook's. A sheet holds
// Excel's 1,048,576 rows, the header among them: the rows beyond go on
// to a second sheet ("Ledger (2)") with the header again, and so on.

#include <cstddef>
#include <string>

#include "tables/table.h"

struct lxw_workbook;
struct lxw_worksheet;
struct lxw_format;

namespace fieldflow::tables {

struct XlsxOptions {
    Language language = Language::english;
    std::string sheet_name = "Sheet";  // at most 31 characters, none of []:*?/\ .
    // Minutes east of UTC that instants are shown in (Excel has no zones).
    int utc_offset_minutes = 0;
    // Data rows per sheet; smaller only in tests.
    std::size_t rows_per_sheet = 1'048'575;
    // Where libxlsxwriter keeps its temporary files (empty: the system's).
    std::string tmpdir;
};

class XlsxWriter final : public TableWriter {
  public:
    // Throws std::runtime_error when `path` cannot be created.
    XlsxWriter(const std::string& path, std::vector<Column> columns, XlsxOptions options);
    ~XlsxWriter() override;
    XlsxWriter(const XlsxWriter&) = delete;
    XlsxWriter& operator=(const XlsxWriter&) = delete;

    // Throws std::runtime_error naming the row and column of a cell Excel
    // cannot hold (text beyond 32,767 characters).
    void row(const Row& cells) override;
    // Writes the widths and the file; throws std::runtime_error when it fails.
    void finish() override;

  private:
    void new_sheet();
    void write_cell(std::size_t column, const Cell& cell);

    std::string path_;
    std::vector<Column> columns_;
    XlsxOptions options_;
    lxw_workbook* workbook_ = nullptr;
    std::vector<lxw_worksheet*> sheets_;
    lxw_format* header_ = nullptr;
    lxw_format* date_ = nullptr;
    lxw_format* time_ = nullptr;
    std::size_t rows_in_sheet_ = 0;
    std::size_t rows_written_ = 0;
    std::vector<std::size_t> widths_;
};

}  // namespace fieldflow::tables
