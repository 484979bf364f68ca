#pragma once
// A store of a test's own: a file in a temporary folder, or a PostgreSQL
// database when the suite runs on PostgreSQL; removed at the end.

#include <string>

#include "support/process.h"

namespace fieldflow::test {

struct StoreFile {
    TempDir dir;
    std::string location = dir.store("store.db");
};

}  // namespace fieldflow::test
