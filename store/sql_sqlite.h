#pragma once
// The embedded store: one SQLite file in WAL mode.

#include "store/sql.h"

namespace fieldflow::store::sql {

std::unique_ptr<Database> open_sqlite(const std::string& path, Access access,
                                      Durability durability);

}  // namespace fieldflow::store::sql
