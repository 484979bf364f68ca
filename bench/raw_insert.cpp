// fieldflow-bench-raw-insert: the physical limit the gateway is measured
// against — the same rows (records of the same size, in the gateway's own
// table, with its unique key) inserted straight into the store (a SQLite
// file or a postgresql:// database) in large transactions, with the same
// durability (full), by a program that does nothing else: no decoding,
// validation, reasons or audit.
//   fieldflow-bench-raw-insert DB ROWS BATCH RECORD_BYTES

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "store/gateway_store.h"

using namespace fieldflow;

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: fieldflow-bench-raw-insert DB ROWS BATCH RECORD_BYTES\n");
        return 2;
    }
    long rows = std::atol(argv[2]), batch = std::atol(argv[3]);
    std::vector<std::byte> raw(static_cast<std::size_t>(std::atol(argv[4])), std::byte{0x5a});
    store::GatewayStore store(argv[1], store::Durability::full);  // the gateway's schema
    auto& db = store.db();
    store::sql::Statement put(
        db,
        "INSERT INTO records (device, seq, rep, kind, captured_at_ms, "
        "received_at_ms, verdict, raw) VALUES (?1, ?2, 'R01', 'stock_count', ?3, "
        "?3, 'accepted', ?4)");
    auto start = std::chrono::steady_clock::now();
    for (long first = 0; first < rows; first += batch) {
        store::sql::Transaction transaction(db);
        for (long i = first; i < std::min(rows, first + batch); ++i) {
            char device[16];
            std::snprintf(device, sizeof device, "raw-%05ld", i % 200);
            put.bind(1, device);
            put.bind(2, static_cast<std::int64_t>(i));
            put.bind(3, static_cast<std::int64_t>(1'790'000'000'000 + i));
            put.bind_blob(4, raw);
            put.exec();
        }
        transaction.commit();
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%ld rows in %.2f s: %.0f rows/s\n", rows, seconds, rows / seconds);
    return 0;
}
