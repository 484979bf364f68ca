#pragma once
// One file of the distribution books into the store, the same way from the
// command line (`fieldflow import`) and from the operators' console: a
// file already imported cleanly changes nothing; otherwise its good rows
// land in one transaction with the import's audit entries, and its bad
// rows come back sorted by line. A preview does all of it and rolls back,
// so it counts exactly what a commit would store.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/distribution_csv.h"
#include "store/distribution_store.h"

namespace fieldflow::store {

// Reads the file's rows into the handlers, its bad rows into the errors.
using RowReader = std::function<void(const core::RowHandlers&, std::vector<core::LoadError>&)>;

struct ImportRequest {
    core::ImportKind kind = core::ImportKind::flows;
    std::string file;    // names the file in errors and in the books
    std::string digest;  // the content and its encoding (import_digest)
    std::string by;      // the operator, for the audit log
};

struct ImportResult {
    std::optional<PriorImport> prior;  // set when the same file was imported cleanly before
    ImportSummary summary;
    std::vector<core::LoadError> bad;  // by line
};

// The digest an import is recognised by: the same bytes read as another
// encoding are another content.
std::string import_digest(const std::string& sha256_hex, const std::string& encoding);

// With `commit` false nothing is stored, but what would be is counted in
// the same transaction a commit uses. `check`, when given, sees the result
// before it commits and may refuse it by returning false (nothing stored).
ImportResult import_file(DistributionStore& store, const ImportRequest& request,
                         const RowReader& read, bool commit,
                         const std::function<bool(const ImportResult&)>& check = {});

}  // namespace fieldflow::store
