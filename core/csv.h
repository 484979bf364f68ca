#pragma once
// Reading CSV tables by column name, row by row, where one bad row costs
// only itself. Parsing is Debian's libfccp (fast-cpp-csv-parser): RFC 4180
// quoting, UTF-8 BOM skipping, line numbers in its errors.

#include <array>
#include <charconv>
#include <functional>
#include <istream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include <libfccp/csv.h>

#include "core/line_cap.h"
#include "core/master_data.h"

namespace fieldflow::core::csv {

// Thrown by a row handler for a field it cannot accept; becomes a LoadError
// with its code and its Chinese words.
struct FieldError : std::runtime_error {
    // Master data and visit plans, read by their authors in English.
    explicit FieldError(const std::string& english) : std::runtime_error(english) {}
    FieldError(std::string code_, const std::string& english, std::string chinese_)
        : std::runtime_error(english), code(std::move(code_)), chinese(std::move(chinese_)) {}
    std::string code = {};
    std::string chinese = {};
};

// A column of the books' and master data's files by its Chinese name; a
// column without one keeps its own.
std::string chinese_column(std::string_view column);

double to_double(std::string_view text, std::string_view column);
long long to_integer(std::string_view text, std::string_view column);
std::string_view required(std::string_view text, std::string_view column);

template <std::size_t N>
using Row = std::array<std::string, N>;

// The longest line a table may have: far beyond any real row, far below the
// 16 MiB at which the parser gives up on the whole stream.
inline constexpr std::size_t max_line_bytes = 1 << 20;

// Reads `in` (named `file` in errors), whose header must name every one of
// `columns` in any order, except the last `optional` of them, which a file
// may leave out (they read as empty, so that files from before a column was
// added keep loading); other columns are ignored. Calls `handle` for each
// data row, with its line number when it takes one. Errors are appended to
// `errors`; reading continues after a bad row.
template <std::size_t N, typename Handle>
void read_table(std::istream& in, const std::string& file,
                const std::array<const char*, N>& columns, Handle&& handle,
                std::vector<LoadError>& errors, std::size_t optional = 0) {
    LineCapBuffer capped(in, max_line_bytes);
    std::istream capped_in(&capped);
    io::CSVReader<N, io::trim_chars<' ', '\t'>, io::double_quote_escape<',', '"'>> reader(
        file, capped_in);
    auto parse_error = [&](unsigned line, const io::error::base& error) {
        if (capped.was_cut(line))
            errors.push_back({file, line, "line is longer than 1 MiB; row skipped", "line_too_long",
                              "该行超过 1 MiB，已跳过"});
        else
            errors.push_back({file, line, error.what(), "unreadable",
                              std::string("该行无法按 CSV 读取（") + error.what() + "）"});
    };
    try {
        auto ignore = optional > 0 ? io::ignore_extra_column | io::ignore_missing_column
                                   : io::ignore_extra_column;
        std::apply([&](auto... names) { reader.read_header(ignore, names...); }, columns);
        for (std::size_t i = 0; i + optional < N; ++i)
            if (!reader.has_column(columns[i])) {
                io::error::missing_column_in_header missing;
                missing.set_column_name(columns[i]);
                missing.set_file_name(file.c_str());
                throw missing;
            }
    } catch (const io::error::base& error) {
        parse_error(1, error);
        return;
    }
    Row<N> fields;
    for (;;) {
        unsigned line = reader.get_file_line() + 1;
        try {
            bool more = std::apply([&](auto&... out) { return reader.read_row(out...); }, fields);
            if (!more) return;
            line = reader.get_file_line();
            if constexpr (std::is_invocable_v<Handle, const Row<N>&, unsigned>)
                handle(fields, line);
            else
                handle(fields);
        } catch (const io::error::base& error) {
            parse_error(line, error);
        } catch (const FieldError& error) {
            errors.push_back({file, line, error.what(), error.code, error.chinese});
        }
    }
}

}  // namespace fieldflow::core::csv
