#include "store/row_batch.h"

#include <algorithm>
#include <stdexcept>

namespace fieldflow::store {

namespace {
// Rows per statement: PostgreSQL takes at most 65,535 parameters and
// SQLite 32,766; a few hundred rows already make the per-statement cost small.
constexpr std::size_t most_rows = 256;
}  // namespace

RowBatch::RowBatch(sql::Database& db, std::string table, std::vector<std::string> columns,
                   std::string on_conflict)
    : db_(db),
      table_(std::move(table)),
      columns_(std::move(columns)),
      on_conflict_(std::move(on_conflict)) {}

RowBatch::~RowBatch() = default;

RowBatch& RowBatch::integer(std::int64_t value) {
    cells_.push_back({Value::Kind::integer, value, 0});
    return *this;
}

RowBatch& RowBatch::text(std::string_view value) {
    return bytes(Value::Kind::text, std::as_bytes(std::span(value)));
}

RowBatch& RowBatch::blob(std::span<const std::byte> value) {
    return bytes(Value::Kind::blob, value);
}

RowBatch& RowBatch::bytes(Value::Kind kind, std::span<const std::byte> value) {
    cells_.push_back({kind, static_cast<std::int64_t>(bytes_.size()), value.size()});
    bytes_.insert(bytes_.end(), value.begin(), value.end());
    return *this;
}

RowBatch& RowBatch::null() {
    cells_.push_back({Value::Kind::null, 0, 0});
    return *this;
}

RowBatch::Value RowBatch::value(std::size_t index) const {
    const Cell& cell = cells_[index];
    if (cell.kind == Value::Kind::text || cell.kind == Value::Kind::blob)
        return {cell.kind, 0,
                std::span(bytes_).subspan(static_cast<std::size_t>(cell.integer), cell.size)};
    return {cell.kind, cell.integer, {}};
}

void RowBatch::end_row() {
    if (cells_.size() != (rows_ + 1) * columns_.size())
        throw std::logic_error("a row of " + table_ + " with the wrong number of values");
    ++rows_;
}

sql::Statement& RowBatch::statement(std::size_t rows) {
    auto& kept = statements_[rows];
    if (kept) return *kept;
    std::string sql = "INSERT INTO " + table_ + " (";
    for (std::size_t c = 0; c < columns_.size(); ++c) sql += (c ? ", " : "") + columns_[c];
    sql += ") VALUES ";
    // Plain ?s, which number themselves in order. SQLite compiles each
    // ?NNN by looking its name up in a list of all the statement's
    // parameters, so a statement of 256 rows took time in the square of
    // its width to prepare.
    for (std::size_t r = 0; r < rows; ++r) {
        sql += r ? ", (" : "(";
        for (std::size_t c = 0; c < columns_.size(); ++c) sql += c ? ", ?" : "?";
        sql += ")";
    }
    if (!on_conflict_.empty()) sql += " " + on_conflict_;
    kept = std::make_unique<sql::Statement>(db_, sql);
    return *kept;
}

void RowBatch::send() {
    try {
        send_all();
    } catch (...) {
        clear();  // gone with the transaction that fails now
        throw;
    }
    clear();
}

void RowBatch::send_all() {
    if (rows_ == 0) return;
    if (on_conflict_.empty() &&
        db_.copy_rows(table_, columns_, rows_, [this](std::size_t i) { return value(i); }))
        return;
    std::size_t width = columns_.size();
    for (std::size_t first = 0; first < rows_; first += most_rows) {
        std::size_t rows = std::min(most_rows, rows_ - first);
        sql::Statement& insert = statement(rows);
        sql::Reset reset{insert};
        int parameter = 0;
        for (std::size_t i = first * width; i < (first + rows) * width; ++i) {
            Value v = value(i);
            switch (v.kind) {
                case Value::Kind::null:
                    insert.bind_null(++parameter);
                    break;
                case Value::Kind::integer:
                    insert.bind(++parameter, v.integer);
                    break;
                case Value::Kind::text:
                    insert.bind_borrowed(
                        ++parameter, std::string_view(reinterpret_cast<const char*>(v.bytes.data()),
                                                      v.bytes.size()));
                    break;
                case Value::Kind::blob:
                    insert.bind_blob_borrowed(++parameter, v.bytes);
            }
        }
        insert.exec();
    }
}

void RowBatch::clear() {
    cells_.clear();
    bytes_.clear();
    rows_ = 0;
}

}  // namespace fieldflow::store
