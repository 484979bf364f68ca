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
    values_.emplace_back(value);
    return *this;
}

RowBatch& RowBatch::text(std::string_view value) {
    values_.emplace_back(std::string(value));
    return *this;
}

RowBatch& RowBatch::blob(std::span<const std::byte> value) {
    values_.emplace_back(std::vector<std::byte>(value.begin(), value.end()));
    return *this;
}

RowBatch& RowBatch::null() {
    values_.emplace_back(std::monostate{});
    return *this;
}

void RowBatch::end_row() {
    if (values_.size() != (rows_ + 1) * columns_.size())
        throw std::logic_error("a row of " + table_ + " with the wrong number of values");
    ++rows_;
}

sql::Statement& RowBatch::statement(std::size_t rows) {
    auto& kept = statements_[rows];
    if (kept) return *kept;
    std::string sql = "INSERT INTO " + table_ + " (";
    for (std::size_t c = 0; c < columns_.size(); ++c) sql += (c ? ", " : "") + columns_[c];
    sql += ") VALUES ";
    int parameter = 0;
    for (std::size_t r = 0; r < rows; ++r) {
        sql += r ? ", (" : "(";
        for (std::size_t c = 0; c < columns_.size(); ++c)
            sql += (c ? ", ?" : "?") + std::to_string(++parameter);
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
    std::size_t width = columns_.size();
    for (std::size_t first = 0; first < rows_; first += most_rows) {
        std::size_t rows = std::min(most_rows, rows_ - first);
        sql::Statement& insert = statement(rows);
        sql::Reset reset{insert};
        int parameter = 0;
        for (std::size_t i = first * width; i < (first + rows) * width; ++i) {
            ++parameter;
            std::visit(
                [&](const auto& v) {
                    using T = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<T, std::monostate>)
                        insert.bind_null(parameter);
                    else if constexpr (std::is_same_v<T, std::vector<std::byte>>)
                        insert.bind_blob_borrowed(parameter, v);
                    else if constexpr (std::is_same_v<T, std::string>)
                        insert.bind_borrowed(parameter, v);
                    else
                        insert.bind(parameter, v);
                },
                values_[i]);
        }
        insert.exec();
    }
}

void RowBatch::clear() {
    values_.clear();
    rows_ = 0;
}

}  // namespace fieldflow::store
