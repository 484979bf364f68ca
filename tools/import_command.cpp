// `fieldflow import KIND FILE --db DB [--encoding utf-8|gbk]`: shipments,
// flows, stock reports or opening balances from a CSV file into the store.
// Good rows are committed together; each bad row is listed on stderr with
// its file and line. The very same file imported again changes nothing.

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "core/digest.h"
#include "core/distribution_csv.h"
#include "core/text_encoding.h"
#include "store/book_import.h"
#include "tools/bad_rows.h"
#include "tools/commands.h"
#include "tools/human_text.h"
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
    store::ImportRequest request{
        o.kind, file, store::import_digest(core::sha256_hex_of_file(file).value_or(""), encoding),
        operator_name(o.by)};
    // Opened only when the store has not seen the file: an unchanged GBK
    // file is not converted again.
    std::string unreadable;
    auto read = [&](const core::RowHandlers& handlers, std::vector<core::LoadError>& bad) {
        std::unique_ptr<std::istream> in;
        try {
            in = core::open_text(file, encoding == "gbk");
        } catch (const core::EncodingError& error) {
            unreadable = file + ": not GBK text at byte " + std::to_string(error.offset) +
                         "; nothing imported";
            throw;
        } catch (const std::runtime_error& error) {
            unreadable = error.what();
            throw;
        }
        pipe_rows(o.kind, *in, file, handlers, bad);
    };
    store::ImportResult result;
    try {
        result = store::import_file(store, request, read, true);
    } catch (const std::runtime_error& error) {
        if (unreadable.empty()) throw;
        std::cerr << "fieldflow import: " << unreadable << '\n';
        return 1;
    }
    // What a person reads follows the locale; the codes stay as they are.
    const bool zh = language_from_environment() == Language::chinese;
    if (result.prior) {
        if (zh)
            std::cout << file << "：同一文件已于 " << iso8601_utc(result.prior->imported_at_ms)
                      << " 导入（" << result.prior->file << "），未作改动\n";
        else
            std::cout << file << ": the same file was imported on "
                      << iso8601_utc(result.prior->imported_at_ms) << " (as " << result.prior->file
                      << "); nothing changed\n";
        return 0;
    }
    const auto& summary = result.summary;
    const auto& bad = result.bad;
    print_bad_rows(std::cerr, bad, zh ? Language::chinese : Language::english);
    if (zh) {
        std::cout << file << "：入库 " << summary.stored << " 行，已存在 " << summary.unchanged
                  << " 行";
        if (summary.conflicting)
            std::cout << "，" << summary.conflicting << " 行的流向编号已被其他内容占用";
        if (summary.late)
            std::cout << "，" << summary.late << " 行属于已关账月份（记入下一个未关账月份）";
        std::cout << "，错误 " << bad.size() << " 行" << (bad.empty() ? "" : "（见标准错误输出）")
                  << '\n';
        return bad.empty() ? 0 : 1;
    }
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
