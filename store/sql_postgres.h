#pragma once
// The shared store: a PostgreSQL database through libpq, for several
// gateways at once. Writers take one advisory lock per transaction, so
// that, as in SQLite, one writer at a time extends the audit chain and
// decides which copy of a re-sent record is the first.

#include "store/sql.h"

namespace fieldflow::store::sql {

std::unique_ptr<Database> open_postgresql(const std::string& url, Access access,
                                          Durability durability);

// `sql` with SQLite's `?N` (and bare `?`) parameters numbered `$N`, as
// PostgreSQL wants them; quoted text and names are left as they are.
std::string numbered_parameters(std::string_view sql);

// `value` as a column of a row of COPY's text format, appended to `out`:
// text with its backslashes, tabs and line ends escaped, a blob as
// bytea's hex input, NULL as \N.
void append_copy_value(std::string& out, const Value& value);

// A schema written in SQLite's types, in PostgreSQL's (see Database::exec).
std::string postgresql_schema(std::string_view sql);

}  // namespace fieldflow::store::sql
