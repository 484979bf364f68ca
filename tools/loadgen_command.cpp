// `fieldflow loadgen --gateway HOST:PORT --master DIR --agents N --records M`:
// N simulated handhelds, one thread and one connection each, send M records
// apiece (a check-in, stock counts, a check-out, visit after visit) in
// batches, and time every ack. Prints the records committed per second and
// the ack latency percentiles, and checks that every record was acked
// exactly once. With --db (the gateway's store) the devices are enrolled
// first; without it the gateway must run with --auth open. With --ca FILE
// they connect over TLS and check the gateway's certificate against it, as
// handhelds do (schemas/client_connection.h).

#include <capnp/message.h>
#include <capnp/serialize.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <thread>

#include "core/clock.h"
#include "schemas/frame.h"
#include "schemas/protocol.capnp.h"
#include "schemas/record.capnp.h"
#include "schemas/client_connection.h"
#include "store/device_token.h"
#include "store/gateway_store.h"
#include "tools/commands.h"

namespace fieldflow::tools {

namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

struct Agent {
    std::string device, rep, terminal, credential;
    double lat = 0, lon = 0;
};

struct Totals {
    std::mutex mutex;
    std::vector<double> latencies_ms;
    std::uint64_t acked = 0, twice = 0, missing = 0;
    std::vector<std::string> failures;
};

std::vector<std::byte> record(const Agent& a, std::uint64_t seq, std::uint64_t in_visit,
                              const std::vector<std::string>& products) {
    capnp::MallocMessageBuilder message;
    auto e = message.initRoot<wire::Envelope>();
    e.setDeviceId(a.device);
    e.setSeq(seq);
    e.setRepId(a.rep);
    e.setCapturedAtMs(core::unix_now_ms());
    auto payload = e.initPayload();
    // Visits of ten records: a check-in, eight counts, a check-out.
    std::uint64_t step = (seq - 1) % 10;
    if (step == 0) {
        auto in = payload.initCheckIn();
        in.setTerminal(a.terminal);
        in.setLat(a.lat);
        in.setLon(a.lon);
        in.setAccuracyM(8);
    } else if (step == 9) {
        auto out = payload.initCheckOut();
        out.setTerminal(a.terminal);
        out.setCheckInSeq(in_visit);
    } else {
        auto count = payload.initStockCount();
        count.setTerminal(a.terminal);
        count.setProduct(products[seq % products.size()]);
        count.setQty(static_cast<std::int32_t>(seq % 40));
    }
    auto words = wire::encode(message);
    auto bytes = words.asBytes();
    auto* begin = reinterpret_cast<const std::byte*>(bytes.begin());
    return {begin, begin + bytes.size()};
}

// Generous: a load generator measures waits, it does not give up on them.
constexpr std::chrono::seconds deadline(60);
constexpr std::size_t most_frame_bytes = 64 << 20;

void run_agent(const Agent& a, const std::string& host, const std::string& port,
               const std::string& ca, std::uint64_t records, std::uint64_t batch,
               const std::vector<std::string>& products, Totals& totals) {
    try {
        wire::Connection connection(host, port, deadline, ca);
        capnp::MallocMessageBuilder hello_message;
        auto hello = hello_message.initRoot<wire::ClientMessage>().initHello();
        hello.setProtocolVersion(wire::PROTOCOL_VERSION);
        hello.setDeviceId(a.device);
        hello.setRepId(a.rep);
        hello.setAgentVersion("loadgen");
        hello.setOutboxDepth(records);
        hello.setCredential(a.credential);
        connection.send(hello_message, deadline);
        auto welcome_words = connection.receive(most_frame_bytes, deadline);
        capnp::FlatArrayMessageReader welcome(
            kj::arrayPtr(welcome_words.data(), welcome_words.size()));
        auto reply = welcome.getRoot<wire::ServerMessage>();
        if (!reply.isWelcome())
            throw std::runtime_error(reply.isError() ? std::string(reply.getError().getMessage())
                                                     : "no welcome");
        std::vector<double> latencies;
        std::uint64_t acked = 0, twice = 0, missing = 0;
        for (std::uint64_t first = 1; first <= records; first += batch) {
            std::uint64_t last = std::min(records, first + batch - 1);
            capnp::MallocMessageBuilder message;
            auto list = message.initRoot<wire::ClientMessage>().initBatch().initRecords(
                static_cast<unsigned>(last - first + 1));
            std::vector<std::vector<std::byte>> raw;
            for (std::uint64_t seq = first; seq <= last; ++seq) {
                raw.push_back(record(a, seq, seq - (seq - 1) % 10, products));
                list.set(static_cast<unsigned>(seq - first),
                         kj::arrayPtr(reinterpret_cast<const kj::byte*>(raw.back().data()),
                                      raw.back().size()));
            }
            auto sent = Clock::now();
            connection.send(message, deadline);
            auto words = connection.receive(most_frame_bytes, deadline);
            latencies.push_back(
                std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
            capnp::FlatArrayMessageReader reader(kj::arrayPtr(words.data(), words.size()));
            auto answer = reader.getRoot<wire::ServerMessage>();
            if (!answer.isAck())
                throw std::runtime_error(
                    answer.isError() ? std::string(answer.getError().getMessage()) : "no ack");
            std::vector<bool> seen(last - first + 1, false);
            for (auto r : answer.getAck().getResults()) {
                if (r.getSeq() < first || r.getSeq() > last || seen[r.getSeq() - first]) {
                    ++twice;
                    continue;
                }
                seen[r.getSeq() - first] = true;
                twice += r.getDuplicate();
                ++acked;
            }
            missing += std::count(seen.begin(), seen.end(), false);
        }
        std::lock_guard lock(totals.mutex);
        totals.latencies_ms.insert(totals.latencies_ms.end(), latencies.begin(), latencies.end());
        totals.acked += acked;
        totals.twice += twice;
        totals.missing += missing;
    } catch (const std::exception& e) {
        std::lock_guard lock(totals.mutex);
        totals.failures.push_back(a.device + ": " + e.what());
    }
}

double percentile(std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    auto at = static_cast<std::size_t>(p * double(sorted.size() - 1) + 0.5);
    return sorted[std::min(at, sorted.size() - 1)];
}

}  // namespace

int loadgen_command(const Args& args) {
    auto flags = parse_flags(
        "loadgen", args, {"gateway", "master", "agents", "records", "batch", "db", "prefix", "ca"});
    if (!flags.ok) return 2;
    const std::string* gateway = flags.get("gateway");
    if (!gateway || gateway->rfind(':') == std::string::npos) {
        std::cerr << "fieldflow loadgen: --gateway HOST:PORT is required\n";
        return 2;
    }
    unsigned agents = 10, records = 1000, batch = 100;
    if (!positive_flag("loadgen", flags, "agents", agents, 100'000) ||
        !positive_flag("loadgen", flags, "records", records) ||
        !positive_flag("loadgen", flags, "batch", batch, 100'000))
        return 2;
    auto master = master_data("loadgen", flags);
    if (!master) return 2;
    std::vector<std::string> products;
    for (const auto& [id, p] : master->products) products.push_back(id);
    std::vector<const core::Terminal*> terminals;
    for (const auto& [id, t] : master->terminals) terminals.push_back(&t);
    std::vector<const core::Rep*> reps;
    for (const auto& [id, r] : master->reps) reps.push_back(&r);
    if (products.empty() || terminals.empty() || reps.empty()) {
        std::cerr << "fieldflow loadgen: the master data needs products, terminals and reps\n";
        return 2;
    }
    std::sort(products.begin(), products.end());
    auto by_id = [](auto* x, auto* y) { return x->id < y->id; };
    std::sort(terminals.begin(), terminals.end(), by_id);
    std::sort(reps.begin(), reps.end(), by_id);

    std::string prefix = flags.get("prefix") ? *flags.get("prefix") : "lg";
    std::vector<Agent> fleet;
    for (unsigned i = 0; i < agents; ++i) {
        char device[64];
        std::snprintf(device, sizeof device, "%s-%05u", prefix.c_str(), i + 1);
        const core::Terminal* t = terminals[i % terminals.size()];
        fleet.push_back({device, reps[i % reps.size()]->id, t->id, "", t->lat, t->lon});
    }
    if (const std::string* db = flags.get("db")) {
        store::GatewayStore store(*db);
        for (auto& a : fleet) {
            a.credential = store::new_device_token();
            store.enroll(a.device, a.rep, store::token_sha256(a.credential), core::unix_now_ms(),
                         "loadgen");
        }
    }

    auto colon = gateway->rfind(':');
    std::string host = gateway->substr(0, colon), port = gateway->substr(colon + 1);
    std::string ca = flags.get("ca") ? *flags.get("ca") : "";
    Totals totals;
    auto start = Clock::now();
    std::vector<std::thread> threads;
    for (const auto& a : fleet)
        threads.emplace_back(run_agent, std::cref(a), host, port, ca, records, batch,
                             std::cref(products), std::ref(totals));
    for (auto& t : threads) t.join();
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();

    std::uint64_t expected = std::uint64_t(agents) * records;
    std::sort(totals.latencies_ms.begin(), totals.latencies_ms.end());
    auto& l = totals.latencies_ms;
    std::printf("%u agents, %llu records in %.2f s: %.0f records/s committed\n", agents,
                static_cast<unsigned long long>(totals.acked), seconds,
                double(totals.acked) / seconds);
    std::printf(
        "ack latency per batch of %u: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms\n",
        batch, percentile(l, 0.5), percentile(l, 0.99), percentile(l, 0.999),
        l.empty() ? 0.0 : l.back());
    for (const auto& f : totals.failures) std::cerr << "failed: " << f << '\n';
    bool exact = totals.acked == expected && totals.twice == 0 && totals.missing == 0 &&
                 totals.failures.empty();
    std::printf("acked %llu of %llu exactly once: %s\n",
                static_cast<unsigned long long>(totals.acked),
                static_cast<unsigned long long>(expected), exact ? "yes" : "no");
    return exact ? 0 : 1;
}

}  // namespace fieldflow::tools
