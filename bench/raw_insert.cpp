// fieldflow-bench-raw-insert: the physical limit the gateway is measured
// against — the same rows (records of the same size, in the gateway's own
// table, with its unique key) inserted straight into the store (a SQLite
// file or a postgresql:// database) in large transactions, with the same
// durability (full), by a program that does nothing else: no decoding,
// validation, reasons or audit. SQLite gets prepared inserts in one
// transaction per batch; PostgreSQL a COPY per batch, its bulk path.
//   fieldflow-bench-raw-insert DB ROWS BATCH RECORD_BYTES

#include <libpq-fe.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
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
    db.checkpoint_in_background();  // as the gateway does
    auto device_of = [](long i) {
        char device[16];
        std::snprintf(device, sizeof device, "raw-%05ld", i % 200);
        return std::string(device);
    };
    auto start = std::chrono::steady_clock::now();
    if (store::sql::is_postgresql(argv[1])) {
        // PostgreSQL's fastest way in, and what a batch loader uses: COPY,
        // one stream per transaction, over a connection of its own.
        PGconn* conn = PQconnectdb(argv[1]);
        std::string hex = "\\\\x";
        for (auto b : raw) {
            char two[3];
            std::snprintf(two, sizeof two, "%02x", static_cast<unsigned>(b));
            hex += two;
        }
        for (long first = 0; first < rows; first += batch) {
            PQclear(PQexec(conn, "BEGIN"));
            PQclear(PQexec(conn,
                           "COPY records (device, seq, rep, kind, captured_at_ms, "
                           "received_at_ms, verdict, raw) FROM STDIN"));
            std::string lines;
            for (long i = first; i < std::min(rows, first + batch); ++i) {
                auto at = std::to_string(1'790'000'000'000 + i);
                lines += device_of(i) + '\t' + std::to_string(i) + "\tR01\tstock_count\t" + at +
                         '\t' + at + "\taccepted\t" + hex + '\n';
            }
            PQputCopyData(conn, lines.data(), static_cast<int>(lines.size()));
            PQputCopyEnd(conn, nullptr);
            for (PGresult* r; (r = PQgetResult(conn));) {
                if (PQresultStatus(r) != PGRES_COMMAND_OK) {
                    std::fprintf(stderr, "copy failed: %s", PQresultErrorMessage(r));
                    return 1;
                }
                PQclear(r);
            }
            PQclear(PQexec(conn, "COMMIT"));
        }
        PQfinish(conn);
    } else {
        store::sql::Statement put(
            db,
            "INSERT INTO records (device, seq, rep, kind, captured_at_ms, "
            "received_at_ms, verdict, raw) VALUES (?1, ?2, 'R01', 'stock_count', ?3, "
            "?3, 'accepted', ?4)");
        for (long first = 0; first < rows; first += batch) {
            store::sql::Transaction transaction(db);
            for (long i = first; i < std::min(rows, first + batch); ++i) {
                auto device = device_of(i);
                put.bind_borrowed(1, device);
                put.bind(2, static_cast<std::int64_t>(i));
                put.bind(3, static_cast<std::int64_t>(1'790'000'000'000 + i));
                put.bind_blob_borrowed(4, raw);
                put.exec();
            }
            transaction.commit();
        }
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%ld rows in %.2f s: %.0f rows/s\n", rows, seconds, rows / seconds);
    return 0;
}
