#include "tables/csv_writer.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "core/calendar.h"
#include "tables/csv_field.h"

namespace fieldflow::tables {

std::string iso8601(double unix_ms, int utc_offset_minutes) {
    auto seconds = static_cast<std::int64_t>(std::floor(unix_ms / 1000)) + utc_offset_minutes * 60;
    auto day = static_cast<core::Day>(seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400);
    auto in_day = seconds - std::int64_t(day) * 86400;
    int offset = std::abs(utc_offset_minutes);
    char time[32];
    std::snprintf(time, sizeof time, "T%02d:%02d:%02d%c%02d:%02d", int(in_day / 3600),
                  int(in_day / 60 % 60), int(in_day % 60), utc_offset_minutes < 0 ? '-' : '+',
                  offset / 60, offset % 60);
    return core::format_date(day) + time;
}

CsvWriter::CsvWriter(std::ostream& out, std::vector<Column> columns, CsvOptions options)
    : out_(out), columns_(std::move(columns)), options_(options) {
    if (options_.byte_order_mark) out_ << "\xEF\xBB\xBF";
    for (std::size_t c = 0; c < columns_.size(); ++c)
        out_ << (c ? "," : "")
             << csv_field(options_.keys_as_header ? columns_[c].key
                                                  : columns_[c].heading(options_.language));
    out_ << "\n";
}

void CsvWriter::row(const Row& cells) {
    for (std::size_t c = 0; c < columns_.size(); ++c) {
        if (c) out_ << ',';
        if (c >= cells.size()) continue;
        if (const auto* number = std::get_if<double>(&cells[c])) {
            if (columns_[c].kind == Kind::time) {
                out_ << iso8601(*number, options_.utc_offset_minutes);
            } else {
                char text[32];
                auto [end, error] = std::to_chars(text, text + sizeof text, *number);
                out_ << std::string_view(text, error == std::errc() ? end - text : 0);
            }
        } else if (const auto* text = std::get_if<std::string>(&cells[c])) {
            out_ << csv_field(*text);
        }
    }
    out_ << "\n";
}

void CsvWriter::finish() {
    out_.flush();
    if (!out_) throw std::runtime_error("the CSV could not be written");
}

}  // namespace fieldflow::tables
