// A ledger of ROWS lines (100,000 by default) written as an Excel workbook
// the way the downloads write it (JSON rows → tables/json_table.h →
// tables/xlsx_writer.h), each row made as it is written so that what is
// measured is the writer: wall time, the process's peak resident memory
// before and after, and the file's size; then the same rows as CSV.
//   fieldflow-bench-workbook [ROWS] [DIR]

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "tables/csv_writer.h"
#include "tables/json_table.h"
#include "tables/xlsx_writer.h"

using namespace fieldflow;

namespace {

double peak_mib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0;
}

// A line of the ledger as core::holder_rows makes it, with Chinese names.
nlohmann::json ledger_row(long i) {
    return {{"holder", "上海医药分销有限公司 D" + std::to_string(i % 500)},
            {"product", "阿莫西林胶囊 0.25g×24 P" + std::to_string(i % 200)},
            {"opening", 1000 + i % 97},
            {"inbound", 500 + i % 13},
            {"outbound", 480 + i % 17},
            {"closing", 1020 + i % 97},
            {"last_reported", 1018 + i % 89},
            {"reported_on", "2026-03-" + std::to_string(10 + i % 19)},
            {"variance", -2 + i % 5},
            {"off_books", i % 7 == 0}};
}

template <class Writer>
double write_all(Writer& writer, const std::vector<tables::Column>& columns, long rows) {
    auto start = std::chrono::steady_clock::now();
    for (long i = 0; i < rows; ++i) writer.row(tables::cells_of(ledger_row(i), columns));
    writer.finish();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    long rows = argc > 1 ? std::stol(argv[1]) : 100'000;
    std::filesystem::path dir = argc > 2 ? argv[2] : std::filesystem::temp_directory_path();
    auto columns =
        tables::columns_of(nlohmann::json::array({ledger_row(0)}), tables::known_columns("ledger"));
    double before = peak_mib();

    std::string xlsx = (dir / "bench-ledger.xlsx").string();
    tables::XlsxOptions options;
    options.language = tables::Language::chinese;
    options.sheet_name = "进销存台账";
    tables::XlsxWriter workbook(xlsx, columns, options);
    double xlsx_seconds = write_all(workbook, columns, rows);
    double xlsx_peak = peak_mib();

    std::string csv_path = (dir / "bench-ledger.csv").string();
    std::ofstream out(csv_path);
    tables::CsvWriter csv(out, columns, {});
    double csv_seconds = write_all(csv, columns, rows);

    std::printf("| output | rows | seconds | rows/s | file MB | peak RSS MiB (before: %.1f) |\n",
                before);
    std::printf("|---|---|---|---|---|---|\n");
    std::printf("| xlsx (constant memory) | %ld | %.2f | %.0f | %.1f | %.1f |\n", rows,
                xlsx_seconds, rows / xlsx_seconds, std::filesystem::file_size(xlsx) / 1e6,
                xlsx_peak);
    std::printf("| csv | %ld | %.2f | %.0f | %.1f | %.1f |\n", rows, csv_seconds,
                rows / csv_seconds, std::filesystem::file_size(csv_path) / 1e6, peak_mib());
    std::filesystem::remove(xlsx);
    std::filesystem::remove(csv_path);
    return 0;
}
