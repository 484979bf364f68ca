#pragma once
// A table as CSV (RFC 4180) on a stream, with the formula guard of
// tables/csv_field.h on every text cell.

#include <ostream>

#include "tables/table.h"

namespace fieldflow::tables {

struct CsvOptions {
    // The header: the columns' keys, as scripts read them, or their headings
    // in this language, for a person.
    bool keys_as_header = true;
    Language language = Language::english;
    // Excel takes a CSV file without one for the local code page and garbles Chinese.
    bool byte_order_mark = false;
    int utc_offset_minutes = 0;  // instants are written with this offset
};

class CsvWriter final : public TableWriter {
  public:
    CsvWriter(std::ostream& out, std::vector<Column> columns, CsvOptions options);
    void row(const Row& cells) override;
    void finish() override;

  private:
    std::ostream& out_;
    std::vector<Column> columns_;
    CsvOptions options_;
};

// An instant as ISO 8601 with its offset: 2026-11-22T15:30:05+08:00.
std::string iso8601(double unix_ms, int utc_offset_minutes);

}  // namespace fieldflow::tables
