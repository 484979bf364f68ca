// `fieldflow import KIND FILE --db DB [--encoding utf-8|gbk]`: shipments,
// flows, stock reports or opening balances from a CSV file into the store.
// Good rows are committed together; each bad row is listed on stderr with
// its file and line. The very same file imported again changes nothing.

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <algorithm>

#include "core/digest.h"
#include "core/distribution_csv.h"
#include "core/text_encoding.h"
#include "store/distribution_store.h"
#include "tools/commands.h"
#include "tools/row_pipeline.h"
#include "tools/time_format.h"

namespace fieldflow::tools {

int import_command(const ImportOptions& o) {
    const std::string& file = o.file;
    const std::string& encoding = o.encoding;
    if (!std::filesystem::is_regular_file(file)) {
        std::cerr << "fieldflow import: cannot read " << file << '\n';
        return 1;
    }

    store::DistributionStore store(o.db);
    // The file's SHA-256 recognises it; the same bytes read as another
    // encoding are another content.
    std::string digest = core::sha256_hex_of_file(file).value_or("") + "/" + encoding;
    if (auto prior = store.imported_before(o.kind, digest)) {
        std::cout << file << ": the same file was imported on "
                  << iso8601_utc(prior->imported_at_ms) << " (as " << prior->file
                  << "); nothing changed\n";
        return 0;
    }
    std::unique_ptr<std::istream> in;
    try {
        in = core::open_text(file, encoding == "gbk");
    } catch (const core::EncodingError& error) {
        std::cerr << "fieldflow import: " << file << ": not GBK text at byte " << error.offset
                  << "; nothing imported\n";
        return 1;
    } catch (const std::runtime_error& error) {
        std::cerr << "fieldflow import: " << error.what() << '\n';
        return 1;
    }

    auto import = store.begin_import(o.kind, file, digest, operator_name(o.by));
    std::vector<core::LoadError> bad;
    pipe_rows(o.kind, *in, file, import->handlers(), bad);
    bad.insert(bad.end(), import->errors().begin(), import->errors().end());
    auto summary = import->commit(bad.size());

    std::sort(bad.begin(), bad.end(),
              [](const core::LoadError& a, const core::LoadError& b) { return a.line < b.line; });
    for (const auto& e : bad) std::cerr << e.file << ':' << e.line << ": " << e.message << '\n';
    std::cout << file << ": " << summary.stored << " rows stored, " << summary.unchanged
              << " already there";
    if (summary.conflicting)
        std::cout << ", " << summary.conflicting << " with a flow id taken by other content";
    if (summary.late)
        std::cout << ", " << summary.late
                  << " dated in a closed period (booked in the next open one)";
    std::cout << ", " << bad.size() << " bad" << (bad.empty() ? "" : " (listed on stderr)") << '\n';
    return bad.empty() ? 0 : 1;
}

}  // namespace fieldflow::tools
