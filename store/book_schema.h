#pragma once
// The distribution books' tables (docs/data-formats.md): created where they
// are missing in any store file, and read whole for the ledger and the
// anomaly scan.

#include "store/sql.h"

#include "core/distribution_book.h"

namespace fieldflow::store {

void ensure_book_schema(sql::Database& db);

// Everything, with operators' adjustments applied, in one read transaction.
core::DistributionBook load_book(sql::Database& db);

}  // namespace fieldflow::store
