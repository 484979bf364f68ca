// What the sealed outbox (agent/sealing.h) costs the handheld: a capture
// (one count, committed to the flash) and a synced record (read out of the
// outbox for sending), with no PIN and with one, side by side in one run;
// then the PIN's unlock (Argon2id) and a photo's seal and opening.
// Built for the handheld too, so that bench/sealing.sh runs it natively and
// under qemu-aarch64.
//   fieldflow-bench-sealing [CAPTURES] [DIR]

#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "agent/outbox.h"
#include "agent/sealing.h"

using namespace fieldflow;
using Clock = std::chrono::steady_clock;

namespace {

double since_us(Clock::time_point start) {
    return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

struct Costs {
    double capture_us = 0;  // per count, committed
    double read_us = 0;     // per record, read out for a sync batch
};

Costs measure(const std::filesystem::path& state, int captures, bool sealed) {
    std::filesystem::remove_all(state);
    agent::Outbox outbox(state);
    outbox.init({"dev-bench", "R1"});
    if (sealed) outbox.set_pin("246810", std::chrono::minutes(10));
    outbox.check_in({"T1", 31.2304, 121.5060, 8, core::FixJudgement::manual, 0});
    outbox.set_outbox_limit(static_cast<std::uint64_t>(captures) + 10);
    Costs costs;
    auto start = Clock::now();
    for (int i = 0; i < captures; ++i)
        outbox.count("P" + std::to_string(i % 40), 12 + i % 7, "B2611");
    costs.capture_us = since_us(start) / captures;
    // As sync reads them: batches of 500 in sequence order.
    start = Clock::now();
    std::size_t read = 0;
    std::uint64_t after = 0;
    for (;;) {
        auto batch = outbox.oldest(500, after);
        if (batch.empty()) break;
        read += batch.size();
        after = batch.back().seq;
    }
    costs.read_us = since_us(start) / static_cast<double>(read);
    outbox.lock();
    return costs;
}

}  // namespace

int main(int argc, char** argv) {
    int captures = argc > 1 ? std::atoi(argv[1]) : 2000;
    std::filesystem::path dir = argc > 2 ? argv[2] : std::filesystem::temp_directory_path();
    auto state = dir / "fieldflow-bench-sealing";

    // Alternated, each twice, so that the disk's moods fall on both.
    Costs plain, sealed;
    for (int round = 0; round < 2; ++round) {
        auto p = measure(state, captures, false);
        auto s = measure(state, captures, true);
        plain.capture_us += p.capture_us / 2;
        plain.read_us += p.read_us / 2;
        sealed.capture_us += s.capture_us / 2;
        sealed.read_us += s.read_us / 2;
    }

    // The PIN: choosing it (a new key wrapped) and unlocking (Argon2id once).
    std::filesystem::remove_all(state);
    double unlock_ms = 0;
    {
        agent::Outbox outbox(state);
        outbox.set_pin("246810", std::chrono::minutes(10));
        outbox.lock();
        const int unlocks = 5;
        auto start = Clock::now();
        for (int i = 0; i < unlocks; ++i) outbox.unlock("246810", std::chrono::minutes(10));
        unlock_ms = since_us(start) / 1000 / unlocks;
        outbox.lock();
    }
    std::filesystem::remove_all(state);

    // A 3 MB storefront photo sealed and opened in memory.
    auto key = agent::DataKey::random();
    std::vector<std::byte> photo(3 << 20, std::byte{0x5A});
    const int photos = 10;
    auto start = Clock::now();
    std::vector<std::byte> sealed_photo;
    for (int i = 0; i < photos; ++i) sealed_photo = agent::seal(key, photo, "photo");
    double seal_ms = since_us(start) / 1000 / photos;
    start = Clock::now();
    for (int i = 0; i < photos; ++i) agent::open_sealed(key, sealed_photo, "photo");
    double open_ms = since_us(start) / 1000 / photos;

    std::printf("| step | no PIN | PIN set | sealed / plain |\n|---|---|---|---|\n");
    std::printf("| capture (one count, committed), µs | %.0f | %.0f | %.2f |\n", plain.capture_us,
                sealed.capture_us, sealed.capture_us / plain.capture_us);
    std::printf("| synced record (read out of the outbox), µs | %.1f | %.1f | %.2f |\n",
                plain.read_us, sealed.read_us, sealed.read_us / plain.read_us);
    std::printf("| unlock with the PIN (Argon2id, 64 MiB), ms | | %.0f | |\n", unlock_ms);
    std::printf("| 3 MiB photo sealed / opened, ms | | %.1f / %.1f | |\n", seal_ms, open_ms);
    std::printf("\n%d captures per outbox, each way twice, alternated.\n", captures);
    return 0;
}
