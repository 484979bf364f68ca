#pragma once
// Rows for one table, gathered and then sent together: by COPY on
// PostgreSQL, where a statement per row is a round trip per row and even a
// multi-row INSERT costs the server more to read than the rows themselves;
// as multi-row INSERTs on SQLite (and for rows with an ON CONFLICT), where
// a statement run per row costs more than a row in a larger statement. The
// caller sends them before anything reads the table and before its
// transaction commits.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
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

    // One value as it will be sent. Text and blobs point into the batch,
    // and hold until the next value is added.
    using Value = sql::Value;
    // Columns of one row, read in place.
    class Row {
      public:
        std::size_t size() const { return count_; }
        Value operator[](std::size_t column) const { return batch_->value(first_ + column); }
        // Columns [first, first + count), or [first, end) without a count.
        Row columns(std::size_t first, std::size_t count = SIZE_MAX) const {
            return {batch_, first_ + first, std::min(count, count_ - first)};
        }

      private:
        friend class RowBatch;
        Row(const RowBatch* batch, std::size_t first, std::size_t count)
            : batch_(batch), first_(first), count_(count) {}
        const RowBatch* batch_;
        std::size_t first_, count_;
    };
    // The row ended last.
    Row last_row() const { return {this, (rows_ - 1) * columns_.size(), columns_.size()}; }

    bool empty() const { return rows_ == 0; }
    // Inserts the rows gathered so far; on failure they are dropped, as the
    // transaction that was to hold them fails too.
    void send();
    // Forgets them: their transaction rolled back.
    void clear();

  private:
    sql::Statement& statement(std::size_t rows);
    void send_all();
    RowBatch& bytes(Value::Kind kind, std::span<const std::byte> value);
    Value value(std::size_t index) const;

    // A value's kind, and the integer or where its bytes lie in bytes_.
    struct Cell {
        Value::Kind kind;
        std::int64_t integer;
        std::size_t size;
    };

    sql::Database& db_;
    std::string table_;
    std::vector<std::string> columns_;
    std::string on_conflict_;
    // Every value's bytes side by side: a row costs no allocation of its
    // own, and the whole batch sits in one block while it is bound.
    std::vector<Cell> cells_;
    std::vector<std::byte> bytes_;
    std::size_t rows_ = 0;
    std::map<std::size_t, std::unique_ptr<sql::Statement>> statements_;  // by rows per statement
};

}  // namespace fieldflow::store
