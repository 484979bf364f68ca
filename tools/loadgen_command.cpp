// `fieldflow loadgen --gateway HOST:PORT[,HOST:PORT...] --master DIR --agents N --records M`:
// N simulated handhelds (tools/loadgen_fleet.h), one thread and one
// connection each, send M records apiece in batches and time every ack.
// Prints the records committed per second and the ack latency percentiles,
// and checks that every record was acked exactly once. With --db (the
// gateway's store) the devices are enrolled first; without it the gateway
// must run with --auth open. With --ca FILE they connect over TLS and check
// the gateway's certificate against it, as handhelds do
// (net/client_connection.h). Several gateways (on one store) share the
// fleet, device i starting at gateway i modulo their number; a device
// whose gateway fails moves on to the next and sends again what was not
// acked.
//
// The clock starts once every device is connected and welcomed, as a fleet
// in the field is before its month-end rush: what is measured is ingest,
// not two hundred handshakes at the same instant. By default every device
// then keeps as many batches in flight as the welcome allows, sending the
// next as soon as the oldest is acked: the fleet finds the gateway's
// capacity, and each ack waits behind every other batch in flight. With
// --rate R the fleet offers R records a second in all, each device on its
// own schedule, and a batch's latency counts from when it was due, so a
// gateway that falls behind is charged for the wait it causes.

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <deque>
#include <iostream>
#include <iterator>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "schemas/frame.h"
#include "schemas/protocol.capnp.h"
#include "schemas/record.capnp.h"
#include "net/client_connection.h"
#include "store/device_token.h"
#include "store/gateway_store.h"
#include "program/command_line.h"
#include "tools/commands.h"
#include "tools/loadgen_fleet.h"

namespace fieldflow::tools {

namespace {

using Clock = std::chrono::steady_clock;

struct Totals {
    std::mutex mutex;
    std::vector<double> latencies_ms;
    std::uint64_t acked = 0, twice = 0, missing = 0;
    std::vector<std::pair<std::string, std::string>> failures;  // device, what went wrong
};

// Generous: a load generator measures waits, it does not give up on them.
constexpr std::chrono::seconds deadline(60);
constexpr std::size_t most_frame_bytes = 64 << 20;

struct Load {
    struct Gateway {
        std::string host, port;
    };
    // Each device starts at its own number's gateway, as a load balancer
    // spreads a fleet, and moves on to the next when that one fails.
    std::vector<Gateway> gateways;
    std::string ca;
    std::uint64_t records = 0, batch = 0;
    double rate = 0;  // records per second for the fleet; 0: as fast as acked
    unsigned agents = 0;
};

// Where every device waits after its welcome; the last to arrive starts the
// clock. A device that fails before it drops out, so the others go on.
class StartLine {
  public:
    explicit StartLine(unsigned devices) : barrier_(devices, Started{this}) {}
    void arrive() { barrier_.arrive_and_wait(); }
    void drop() { barrier_.arrive_and_drop(); }
    // Read only after arrive() returned, or once every device is done.
    Clock::time_point start() const { return start_; }

  private:
    struct Started {
        StartLine* line;
        void operator()() noexcept { line->start_ = Clock::now(); }
    };
    std::barrier<Started> barrier_;
    Clock::time_point start_ = Clock::now();
};

// One device's connection, made again to the next gateway when the one in
// use fails, as a handheld's sync does (agent/sync.cpp): at once while
// another is left to try, after a pause once every one failed in turn.
// With one gateway a failure is the device's failure, as it always was.
class Link {
  public:
    Link(const Agent& a, const Load& load)
        : a_(a), load_(load), at_((a.number - 1) % load.gateways.size()) {}

    wire::Connection& connection() { return *connection_; }
    // Batches the gateway lets go ahead of their acks.
    std::size_t window() const { return window_; }
    bool may_fail_over() const { return load_.gateways.size() > 1; }

    // Connects and says hello until a gateway welcomes the device, moving
    // on to the next after `failed` (the one in use failed).
    void connect(bool failed) {
        if (failed) at_ = (at_ + 1) % load_.gateways.size();
        const auto give_up = Clock::now() + deadline;
        auto pause = std::chrono::milliseconds(100);
        for (std::size_t tried = 1;; ++tried) {
            try {
                return hello(load_.gateways[at_]);
            } catch (const wire::Disconnected&) {
                connection_.reset();
                if (!may_fail_over() || Clock::now() > give_up) throw;
                at_ = (at_ + 1) % load_.gateways.size();
                if (tried % load_.gateways.size() == 0) {
                    std::this_thread::sleep_for(pause);
                    pause = std::min(pause * 2, std::chrono::milliseconds(2000));
                }
            }
        }
    }

  private:
    void hello(const Load::Gateway& gateway) {
        connection_.emplace(gateway.host, gateway.port, deadline, load_.ca);
        capnp::MallocMessageBuilder hello_message;
        auto hello = hello_message.initRoot<wire::ClientMessage>().initHello();
        hello.setProtocolVersion(wire::PROTOCOL_VERSION);
        hello.setDeviceId(a_.device);
        hello.setRepId(a_.rep);
        hello.setAgentVersion("loadgen");
        hello.setOutboxDepth(load_.records);
        hello.setCredential(a_.credential);
        connection_->send(hello_message, deadline);
        auto welcome_words = connection_->receive(most_frame_bytes, deadline);
        capnp::FlatArrayMessageReader welcome(
            kj::arrayPtr(welcome_words.data(), welcome_words.size()));
        auto reply = welcome.getRoot<wire::ServerMessage>();
        if (!reply.isWelcome())
            throw std::runtime_error(reply.isError() ? std::string(reply.getError().getMessage())
                                                     : "no welcome");
        // As a handheld does (agent/sync.cpp), batches go ahead of their
        // acks as far as the welcome allows. Under --rate a device waits for
        // its acks before its next batch is due, as one whose batches are
        // spaced wider than their acks does.
        window_ = 1;
        if (auto allowed = reply.getWelcome().getMaxBatchesInFlight(); allowed && load_.rate <= 0)
            window_ = allowed;
    }

    const Agent& a_;
    const Load& load_;
    std::size_t at_;
    std::optional<wire::Connection> connection_;
    std::size_t window_ = 1;
};

void run_agent(const Agent& a, const Load& load, const RecordMaker& maker, StartLine& line,
               Totals& totals) {
    const std::uint64_t records = load.records, batch = load.batch;
    bool started = false;
    try {
        Link link(a, load);
        link.connect(false);
        line.arrive();
        started = true;
        const Clock::time_point start = line.start();
        std::vector<double> latencies;
        std::uint64_t acked = 0, twice = 0, missing = 0;
        // Under --rate, batch k of this device is due at start + (k + phase)
        // intervals, the phases spreading the fleet's batches evenly.
        std::chrono::duration<double> interval{0};
        if (load.rate > 0)
            interval = std::chrono::duration<double>(double(batch) * load.agents / load.rate);
        // Its place in the fleet, wherever the fleet's numbers start.
        double phase = double((a.number - 1) % load.agents) / load.agents;
        struct Sent {
            std::uint64_t first, last;
            Clock::time_point due;
            // The records' bytes, for sending again the very ones, as a
            // handheld does: a record made anew would carry another
            // capture time and be refused as its seq reused.
            std::vector<std::vector<std::byte>> raw;
        };
        std::deque<Sent> sent;
        // Batches sent to a gateway that failed before it acked them: sent
        // again to the next, still due when they first were. The lost
        // gateway may have committed them, so the next may say it holds
        // them already: not twice, for it stores them once.
        std::deque<Sent> lost;
        std::uint64_t resent_through = 0;
        auto take_ack = [&] {
            auto words = link.connection().receive(most_frame_bytes, deadline);
            const std::uint64_t first = sent.front().first, last = sent.front().last;
            const auto due = sent.front().due;
            sent.pop_front();
            latencies.push_back(
                std::chrono::duration<double, std::milli>(Clock::now() - due).count());
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
                twice += r.getDuplicate() && r.getSeq() > resent_through;
                ++acked;
            }
            missing += std::count(seen.begin(), seen.end(), false);
        };
        std::uint64_t first = 1;
        while (first <= records || !sent.empty()) {
            try {
                if (first > records || sent.size() >= link.window()) {
                    take_ack();
                    continue;
                }
                std::uint64_t last = std::min(records, first + batch - 1);
                const std::uint64_t k = (first - 1) / batch;
                auto due = Clock::now();
                std::vector<std::vector<std::byte>> raw;
                if (!lost.empty() && lost.front().first == first) {
                    due = lost.front().due;
                    raw = std::move(lost.front().raw);
                    lost.pop_front();
                } else {
                    for (std::uint64_t seq = first; seq <= last; ++seq)
                        raw.push_back(maker.record(a, seq));
                    if (load.rate > 0) {
                        due = start + std::chrono::duration_cast<Clock::duration>(
                                          interval * (double(k) + phase));
                        std::this_thread::sleep_until(due);
                    }
                }
                capnp::MallocMessageBuilder message;
                auto list = message.initRoot<wire::ClientMessage>().initBatch().initRecords(
                    static_cast<unsigned>(raw.size()));
                for (unsigned i = 0; i < raw.size(); ++i)
                    list.set(i, kj::arrayPtr(reinterpret_cast<const kj::byte*>(raw[i].data()),
                                             raw[i].size()));
                // Counted as sent before it goes: a send that fails may
                // still have reached the gateway, and goes again as it was.
                // The message points into the bytes, which a move keeps.
                sent.push_back({first, last, due, std::move(raw)});
                link.connection().send(message, deadline);
                first = last + 1;
            } catch (const wire::Disconnected&) {
                if (!link.may_fail_over()) throw;
                // What was not acked goes again, in order, to the next gateway.
                if (!sent.empty()) {
                    first = sent.front().first;
                    resent_through = std::max(resent_through, sent.back().last);
                    lost.insert(lost.begin(), std::make_move_iterator(sent.begin()),
                                std::make_move_iterator(sent.end()));
                    sent.clear();
                }
                link.connect(true);
            }
        }
        std::lock_guard lock(totals.mutex);
        totals.latencies_ms.insert(totals.latencies_ms.end(), latencies.begin(), latencies.end());
        totals.acked += acked;
        totals.twice += twice;
        totals.missing += missing;
    } catch (const std::exception& e) {
        if (!started) line.drop();
        std::lock_guard lock(totals.mutex);
        totals.failures.emplace_back(a.device, e.what());
    }
}

double percentile(std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    auto at = static_cast<std::size_t>(p * double(sorted.size() - 1) + 0.5);
    return sorted[std::min(at, sorted.size() - 1)];
}

}  // namespace

int loadgen_command(const LoadgenOptions& o, const program::Log& log) {
    auto logger = log.component("loadgen");
    std::vector<program::Endpoint> gateways;
    try {
        gateways = program::endpoints(o.gateway, "--gateway");
    } catch (const CLI::ValidationError& e) {
        std::cerr << "fieldflow loadgen: " << e.what() << '\n';
        return 2;
    }
    const unsigned agents = o.agents, records = o.records, batch = o.batch, rate = o.rate,
                   first = o.first_device;
    if (first + agents - 1 > 999) {
        // A pack's serial holds the device's number in three digits.
        std::cerr << "fieldflow loadgen: devices " << first << " to " << first + agents - 1
                  << " go past device 999\n";
        return 2;
    }
    auto master = master_data("loadgen", o.master);
    if (!master) return 2;
    if (master->products.empty() || master->terminals.empty() || master->reps.empty()) {
        std::cerr << "fieldflow loadgen: the master data needs products, terminals and reps\n";
        return 2;
    }
    RecordMaker maker(*master, o.mix);
    auto fleet = make_fleet(*master, agents, o.prefix, first);
    if (!o.db.empty()) {
        store::GatewayStore store(o.db);
        for (auto& a : fleet) {
            a.credential = store::new_device_token();
            store.enroll(a.device, a.rep, store::token_sha256(a.credential), core::unix_now_ms(),
                         "loadgen");
        }
        logger->debug("enrolled fleet devices={} first={} store={}", agents, first, o.db);
    }

    Load load{{}, o.ca, records, batch, double(rate), agents};
    for (const auto& g : gateways) load.gateways.push_back({g.host, std::to_string(g.port)});
    Totals totals;
    StartLine line(agents);
    std::vector<std::thread> threads;
    for (const auto& a : fleet)
        threads.emplace_back(run_agent, std::cref(a), std::cref(load), std::cref(maker),
                             std::ref(line), std::ref(totals));
    logger->debug("fleet started agents={} records={} batch={} rate={}", agents, records, batch,
                  rate);
    for (auto& t : threads) t.join();
    double seconds = std::chrono::duration<double>(Clock::now() - line.start()).count();

    std::uint64_t expected = std::uint64_t(agents) * records;
    std::sort(totals.latencies_ms.begin(), totals.latencies_ms.end());
    auto& l = totals.latencies_ms;
    if (rate) std::cout << fmt::format("offered {} records/s\n", rate);
    std::cout << fmt::format("{} agents, {} records in {:.2f} s: {:.0f} records/s committed\n",
                             agents, totals.acked, seconds, double(totals.acked) / seconds)
              << fmt::format(
                     "ack latency per batch of {}: p50 {:.2f} ms, p99 {:.2f} ms, p99.9 {:.2f} ms, "
                     "max {:.2f} ms\n",
                     batch, percentile(l, 0.5), percentile(l, 0.99), percentile(l, 0.999),
                     l.empty() ? 0.0 : l.back());
    for (const auto& [device, error] : totals.failures)
        logger->error("device failed device={} error=\"{}\"", device, error);
    bool exact = totals.acked == expected && totals.twice == 0 && totals.missing == 0 &&
                 totals.failures.empty();
    std::cout << fmt::format("acked {} of {} exactly once: {}\n", totals.acked, expected,
                             exact ? "yes" : "no")
              << std::flush;
    return exact ? 0 : 1;
}

}  // namespace fieldflow::tools
