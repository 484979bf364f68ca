#include "store/sql.h"

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

std::int64_t Database::query_int64(std::string_view sql) {
    Statement q(*this, sql);
    if (!q.step()) throw Error("no row from: " + std::string(sql), {});
    return q.int64(0);
}

}  // namespace fieldflow::store::sql
