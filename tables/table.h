#pragma once
// A table an operator downloads (the ledger, the anomalies, the review
// queue ...), as its columns and a stream of rows, written by one of the
// writers beside this file (CSV, an Excel workbook). Kept apart from core/,
// which knows no file formats of output, and shared by the gateway's
// downloads and the command line.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace fieldflow::tables {

// The language of the headings.
enum class Language { english, chinese };

enum class Kind {
    text,
    number,
    date,  // a day, given as "YYYY-MM-DD" text
    time,  // an instant, given as milliseconds since the Unix epoch
};

struct Column {
    std::string key;  // as in the JSON the table comes from
    std::string english, chinese;
    Kind kind = Kind::text;

    const std::string& heading(Language language) const {
        return language == Language::chinese && !chinese.empty() ? chinese : english;
    }
};

// Empty, text, or a number (a time column's milliseconds are a number too).
using Cell = std::variant<std::monostate, std::string, double>;
using Row = std::vector<Cell>;

// Writes rows as they come, so that a long table never has to be held whole.
class TableWriter {
  public:
    virtual ~TableWriter() = default;
    // One row, a cell per column, in the order of the columns.
    virtual void row(const Row& cells) = 0;
    // Completes the output; throws std::runtime_error when it cannot be written.
    virtual void finish() = 0;
};

}  // namespace fieldflow::tables
