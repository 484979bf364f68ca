// What the downlink costs: the delta that brings 2,000 terminals to a
// handheld that holds none, deflated as the gateway sends it, and how long
// the handheld takes to apply it in its one transaction (synchronous=FULL,
// as the outbox is opened). Then a delta of one changed terminal, the usual
// case. Prints table rows for docs/benchmarks.md.

#include <capnp/serialize.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "agent/master_apply.h"
#include "agent/outbox.h"
#include "core/master_slice.h"
#include "gateway/downlink.h"
#include "schemas/frame.h"
#include "schemas/protocol.capnp.h"

using namespace fieldflow;

namespace {

core::MasterData territory_of(int terminals) {
    core::MasterData data;
    data.reps.emplace("R1", core::Rep{"R1", "王芳", core::RepRole::retail, "CN-SH", "dev-001"});
    for (int i = 0; i < terminals; ++i) {
        core::Terminal t;
        t.id = "T" + std::to_string(100000 + i);
        t.name = "老百姓大药房(浦东第" + std::to_string(i) + "分店)";
        t.territory = "CN-SH-PD";
        t.lat = 31.1 + (i % 97) * 1.3e-3;
        t.lon = 121.4 + (i / 97) * 1.1e-3;
        t.radius_m = 100 + i % 5 * 50;
        t.grade = "ABC"[i % 3];
        data.terminals.emplace(t.id, t);
    }
    for (int i = 0; i < 300; ++i) {
        core::Product p{"P" + std::to_string(1000 + i),
                        "阿莫西林胶囊 " + std::to_string(i),
                        "0.25g*24粒",
                        "盒",
                        "69012345" + std::to_string(10000 + i),
                        "86" + std::to_string(10000 + i)};
        data.products.emplace(p.id, p);
    }
    return data;
}

double ms_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
}

void row(const char* what, const gateway::DownlinkFrames& frames, agent::Outbox& outbox) {
    std::size_t bytes = 0;
    agent::DownlinkParts parts;
    for (const auto& frame : frames) {
        bytes += frame.size() * sizeof(capnp::word);
        capnp::FlatArrayMessageReader reader(frame);
        parts.take(reader.getRoot<wire::ServerMessage>().getDownlink());
    }
    auto start = std::chrono::steady_clock::now();
    auto applied = parts.apply(outbox.database());
    double apply_ms = ms_since(start);
    std::printf("| %s | %zu | %.1f KiB | %.1f ms | %llu |\n", what, frames.size(),
                double(bytes) / 1024, apply_ms,
                static_cast<unsigned long long>(applied.terminals + applied.products +
                                                applied.distributors + applied.removed));
}

}  // namespace

int main(int argc, char** argv) {
    auto dir = std::filesystem::path(argc > 1 ? argv[1] : "/tmp/fieldflow-bench-downlink");
    std::filesystem::remove_all(dir);
    agent::Outbox outbox(dir);
    auto before = territory_of(2000);
    auto slice = core::master_slice(before, "R1");
    const core::MasterData none;
    constexpr std::size_t frame_limit = 8u << 20;

    auto start = std::chrono::steady_clock::now();
    auto whole = gateway::downlink_frames(none, slice, 0, 1, true, frame_limit);
    double prepare_ms = ms_since(start);
    std::printf("| delta | parts | on the wire (deflated) | applied on the handheld | rows |\n");
    std::printf("|---|---|---|---|---|\n");
    row("2,000 terminals and 300 products, to a handheld that holds none", whole, outbox);

    auto after = slice;
    after.terminals.at("T100007").radius_m = 300;
    auto one = gateway::downlink_frames(slice, after, 1, 2, false, frame_limit);
    row("one terminal changed", one, outbox);
    std::printf("\nthe gateway prepared the 2,000-terminal delta in %.1f ms\n", prepare_ms);
    std::filesystem::remove_all(dir);
    return 0;
}
