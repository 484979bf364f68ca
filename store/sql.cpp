#include "store/sql.h"

#include <sqlite3.h>

#include <charconv>

#include "store/sql_postgres.h"
#include "store/sql_sqlite.h"

namespace fieldflow::store::sql {

bool is_postgresql(std::string_view location) {
    return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::string shown(const std::string& location) {
    auto scheme = location.find("://");
    auto at = location.find('@');
    if (!is_postgresql(location) || scheme == std::string::npos || at == std::string::npos)
        return location;
    auto colon = location.find(':', scheme + 3);
    if (colon == std::string::npos || colon > at) return location;
    return location.substr(0, colon) + ":***" + location.substr(at);
}

std::unique_ptr<Database> Database::open(const std::string& location, Access access,
                                         Durability durability) {
    if (is_postgresql(location)) return open_postgresql(location, access, durability);
    return open_sqlite(location, access, durability);
}

bool Error::busy() const {
    // PostgreSQL's codes are five characters; SQLite's extended codes, in
    // decimal, stay under 10000.
    if (sqlstate_.size() == 5)
        return sqlstate_ == "55P03" || sqlstate_ == "40001" || sqlstate_ == "40P01";
    int code = 0;
    auto [end, ec] = std::from_chars(sqlstate_.data(), sqlstate_.data() + sqlstate_.size(), code);
    if (ec != std::errc() || end != sqlstate_.data() + sqlstate_.size()) return false;
    int primary = code & 0xff;  // an extended code keeps its primary one in the low byte
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

std::int64_t Database::query_int64(std::string_view sql) {
    Statement q(*this, sql);
    if (!q.step()) throw Error("no row from: " + std::string(sql), {});
    return q.int64(0);
}

bool has_column(Database& db, std::string_view table, std::string_view column) {
    Statement q(db, db.backend() == Backend::postgresql
                        ? "SELECT count(*) FROM information_schema.columns WHERE "
                          "table_schema = current_schema() AND table_name = ?1 AND "
                          "column_name = ?2"
                        : "SELECT count(*) FROM pragma_table_info(?1) WHERE name = ?2");
    q.bind(1, std::string(table)).bind(2, std::string(column));
    q.step();
    return q.int64(0) > 0;
}

Statement& RepeatedStatement::with(std::size_t n) {
    auto& statement = by_count_[n];
    if (!statement) {
        std::string sql = head_;
        for (std::size_t i = 0; i < n; ++i) (sql += i ? ", " : "") += part_;
        statement = std::make_unique<Statement>(db_, sql + tail_);
    }
    return *statement;
}

}  // namespace fieldflow::store::sql
