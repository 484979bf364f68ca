#include "tables/xlsx_writer.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "core/calendar.h"
#include "tables/text_width.h"

namespace fieldflow::tables {

namespace {

// Excel counts days from 1899-12-30 (its 1900 leap-year bug included).
constexpr double excel_day_of_unix_epoch = 25569;
constexpr double ms_per_day = 86'400'000;
// Room for the filter arrow and a margin; a free-text column stops growing here.
constexpr std::size_t width_padding = 2, widest_column = 80;
constexpr std::size_t date_width = 10, time_width = 19;

std::size_t number_width(double value) {
    char text[32];
    auto [end, error] = std::to_chars(text, text + sizeof text, value);
    return error == std::errc() ? static_cast<std::size_t>(end - text) : 12;
}

void check(lxw_error error, const std::string& what) {
    if (error != LXW_NO_ERROR) throw std::runtime_error(what + ": " + lxw_strerror(error));
}

}  // namespace

XlsxWriter::XlsxWriter(const std::string& path, std::vector<Column> columns, XlsxOptions options)
    : path_(path), columns_(std::move(columns)), options_(std::move(options)) {
    lxw_workbook_options settings{};
    settings.constant_memory = LXW_TRUE;
    settings.tmpdir = options_.tmpdir.empty() ? nullptr : options_.tmpdir.data();
    workbook_ = workbook_new_opt(path_.c_str(), &settings);
    if (!workbook_) throw std::runtime_error("cannot start a workbook for " + path_);
    header_ = workbook_add_format(workbook_);
    format_set_bold(header_);
    date_ = workbook_add_format(workbook_);
    format_set_num_format(date_, "yyyy-mm-dd");
    time_ = workbook_add_format(workbook_);
    format_set_num_format(time_, "yyyy-mm-dd hh:mm:ss");
    for (const auto& column : columns_)
        widths_.push_back(display_width(column.heading(options_.language)));
    new_sheet();
}

XlsxWriter::~XlsxWriter() {
    // A workbook abandoned half-way is still closed, to free what it holds;
    // the caller removes the file it leaves.
    if (workbook_) workbook_close(workbook_);
}

void XlsxWriter::new_sheet() {
    std::string name = options_.sheet_name;
    if (!sheets_.empty()) name += " (" + std::to_string(sheets_.size() + 1) + ")";
    lxw_worksheet* sheet = workbook_add_worksheet(workbook_, name.c_str());
    if (!sheet) throw std::runtime_error("cannot add sheet \"" + name + "\" to " + path_);
    sheets_.push_back(sheet);
    for (std::size_t c = 0; c < columns_.size(); ++c)
        check(worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c),
                                     columns_[c].heading(options_.language).c_str(), header_),
              "cannot write the header of " + path_);
    worksheet_freeze_panes(sheet, 1, 0);
    rows_in_sheet_ = 0;
}

void XlsxWriter::write_cell(std::size_t column, const Cell& cell) {
    lxw_worksheet* sheet = sheets_.back();
    auto row = static_cast<lxw_row_t>(rows_in_sheet_ + 1);
    auto col = static_cast<lxw_col_t>(column);
    const Kind kind = columns_[column].kind;
    std::size_t width = 0;
    lxw_error error = LXW_NO_ERROR;
    if (const auto* number = std::get_if<double>(&cell)) {
        if (kind == Kind::time) {
            double serial = excel_day_of_unix_epoch +
                            (*number + options_.utc_offset_minutes * 60'000.0) / ms_per_day;
            error = worksheet_write_number(sheet, row, col, serial, time_);
            width = time_width;
        } else {
            error = worksheet_write_number(sheet, row, col, *number, nullptr);
            width = number_width(*number);
        }
    } else if (const auto* text = std::get_if<std::string>(&cell)) {
        auto day = kind == Kind::date ? core::parse_date(*text) : std::nullopt;
        if (day) {
            error = worksheet_write_number(sheet, row, col, excel_day_of_unix_epoch + *day, date_);
            width = date_width;
        } else if (!text->empty()) {
            // A string cell, never worksheet_write_formula: "=1+1" stays those four characters.
            error = worksheet_write_string(sheet, row, col, text->c_str(), nullptr);
            width = display_width(*text);
        }
    }
    if (error != LXW_NO_ERROR)
        throw std::runtime_error("row " + std::to_string(rows_written_ + 1) + ", column \"" +
                                 columns_[column].key +
                                 "\" cannot go into a workbook: " + lxw_strerror(error));
    widths_[column] = std::max(widths_[column], width);
}

void XlsxWriter::row(const Row& cells) {
    if (rows_in_sheet_ == options_.rows_per_sheet) new_sheet();
    for (std::size_t c = 0; c < columns_.size() && c < cells.size(); ++c) write_cell(c, cells[c]);
    ++rows_in_sheet_;
    ++rows_written_;
}

void XlsxWriter::finish() {
    for (lxw_worksheet* sheet : sheets_)
        for (std::size_t c = 0; c < columns_.size(); ++c)
            worksheet_set_column(sheet, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                                 double(std::min(widths_[c] + width_padding, widest_column)),
                                 nullptr);
    lxw_error error = workbook_close(workbook_);
    workbook_ = nullptr;
    check(error, "cannot write " + path_);
}

}  // namespace fieldflow::tables
