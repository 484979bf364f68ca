// The distribution books at scale: how long loading ten million flows from
// the store takes, then the ledger of every period, then the anomaly scan,
// each timed on its own, with the process's peak memory. The import itself
// is timed by bench/run.sh around the real `fieldflow import`.

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "core/anomalies.h"
#include "core/ledger.h"
#include "core/master_data.h"
#include "store/distribution_store.h"

using namespace fieldflow;

namespace {

template <class F>
double seconds(F&& work) {
    auto start = std::chrono::steady_clock::now();
    work();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double peak_gib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / (1024.0 * 1024.0);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3 && argc != 4) {
        std::fprintf(stderr, "usage: fieldflow-bench-books DB MASTER_DIR [SHELL_SUM_SECONDS]\n");
        return 2;
    }
    auto master = core::load_master_data(argv[2]).data;
    store::DistributionStore store(argv[1]);
    core::DistributionBook book;
    core::Ledger ledger;
    std::vector<core::Anomaly> found;
    double load = seconds([&] { book = store.load(); });
    double ledger_time = seconds([&] { ledger = core::build_ledger(book, master); });
    double scan = seconds([&] { found = core::find_anomalies(book, master, store); });
    std::printf("| load %zu flows from the store | %.2f s |\n", book.flows.size(), load);
    std::printf("| ledger of every period (%zu lines) | %.2f s |\n", ledger.lines.size(),
                ledger_time);
    std::printf("| anomaly scan (%zu findings) | %.2f s |\n", found.size(), scan);
    std::printf("| ledger and anomaly scan together | %.2f s |\n", ledger_time + scan);
    std::printf("| peak memory of the three | %.2f GiB |\n", peak_gib());
    if (argc == 4)
        std::printf("| ledger time / sqlite3 shell's sums | %.2f |\n",
                    ledger_time / std::stod(argv[3]));
    return 0;
}
