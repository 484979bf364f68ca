#include "store/book_import.h"

#include <algorithm>

namespace fieldflow::store {

std::string import_digest(const std::string& sha256_hex, const std::string& encoding) {
    return sha256_hex + "/" + encoding;
}

ImportResult import_file(DistributionStore& store, const ImportRequest& request,
                         const RowReader& read, bool commit,
                         const std::function<bool(const ImportResult&)>& check) {
    ImportResult result;
    result.prior = store.imported_before(request.kind, request.digest);
    if (result.prior) return result;
    auto import = store.begin_import(request.kind, request.file, request.digest, request.by);
    read(import->handlers(), result.bad);
    result.bad.insert(result.bad.end(), import->errors().begin(), import->errors().end());
    std::stable_sort(
        result.bad.begin(), result.bad.end(),
        [](const core::LoadError& a, const core::LoadError& b) { return a.line < b.line; });
    result.summary = import->summary();
    if (!commit || (check && !check(result))) return result;  // the import rolls back
    import->commit(result.bad.size());
    return result;
}

}  // namespace fieldflow::store
