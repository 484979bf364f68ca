#pragma once
// Rows for one table, gathered and then sent as multi-row INSERTs: on
// PostgreSQL a statement per row is a round trip per row, and on SQLite a
// statement run per row costs more than a row in a larger statement. The
// caller sends them before anything reads the table and before its
// transaction commits.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "store/sql.h"

namespace fieldflow::store {

class RowBatch {
  public:
    // `on_conflict`, when given, ends every INSERT ("ON CONFLICT ... DO ...").
    RowBatch(sql::Database& db, std::string table, std::vector<std::string> columns,
             std::string on_conflict = {});
    ~RowBatch();
    RowBatch(const RowBatch&) = delete;
    RowBatch& operator=(const RowBatch&) = delete;

    // The next row's values, column by column, then end_row().
    RowBatch& integer(std::int64_t value);
    RowBatch& text(std::string_view value);
    RowBatch& blob(std::span<const std::byte> value);
    RowBatch& null();
    void end_row();

    using Value = std::variant<std::monostate, std::int64_t, std::string, std::vector<std::byte>>;
    // The values of the row ended last, as they will be sent.
    std::span<const Value> last_row() const {
        return std::span(values_).subspan((rows_ - 1) * columns_.size(), columns_.size());
    }

    bool empty() const { return rows_ == 0; }
    // Inserts the rows gathered so far; on failure they are dropped, as the
    // transaction that was to hold them fails too.
    void send();
    // Forgets them: their transaction rolled back.
    void clear();

  private:
    sql::Statement& statement(std::size_t rows);
    void send_all();

    sql::Database& db_;
    std::string table_;
    std::vector<std::string> columns_;
    std::string on_conflict_;
    std::vector<Value> values_;
    std::size_t rows_ = 0;
    std::map<std::size_t, std::unique_ptr<sql::Statement>> statements_;  // by rows per statement
};

}  // namespace fieldflow::store
