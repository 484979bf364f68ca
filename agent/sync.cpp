#include "agent/sync.h"

#include <capnp/serialize.h>
#include <kj/exception.h>

#include <algorithm>
#include <deque>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "agent/master_apply.h"
#include "agent/photo_sync.h"
#include "agent/verdicts.h"
#include "core/clock.h"
#include "net/client_connection.h"
#include "schemas/error_code.h"
#include "schemas/frame.h"
#include "schemas/protocol.capnp.h"

namespace fieldflow::agent {

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using wire::Connection;
using wire::Disconnected;
using wire::Untrusted;

constexpr auto connect_timeout = 5s;
constexpr auto reply_timeout = 30s;
constexpr std::size_t max_reply_bytes = 8u << 20;
// Room for the Batch message's own pointers and list tags around the records.
constexpr std::size_t frame_overhead_bytes = 64;
// Batches sent ahead of their acks, at most, whatever the gateway allows:
// each is held here until its ack comes.
constexpr std::size_t most_batches_in_flight = 4;

const char* verdict_name(wire::Verdict verdict) {
    switch (verdict) {
        case wire::Verdict::ACCEPTED:
            return "accepted";
        case wire::Verdict::FLAGGED:
            return "flagged";
        case wire::Verdict::REJECTED:
            return "rejected";
        case wire::Verdict::UNSPECIFIED:
            break;
    }
    return nullptr;
}

// The gateway refused a frame as larger than it reads: a smaller batch can
// pass where waiting would not help.
struct FrameTooLarge : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// One frame from the gateway, read as a ServerMessage; an error frame becomes
// an exception that says whether trying again can help.
template <typename Use>
void receive(Connection& connection, wire::ReadLimits limits, Use&& use) {
    auto frame = connection.receive(max_reply_bytes, reply_timeout);
    try {
        capnp::FlatArrayMessageReader reader(kj::arrayPtr(frame.data(), frame.size()),
                                             limits.reader_options());
        auto message = reader.getRoot<wire::ServerMessage>();
        if (message.isError()) {
            auto error = message.getError();
            std::string what = std::string("gateway refused: ") + error.getCode().cStr() + ": " +
                               error.getMessage().cStr();
            // Retrying cannot help these: an upgrade or an enrolment is needed.
            auto code = wire::error_code_from_name(error.getCode().cStr());
            if (code == wire::ErrorCode::protocol_version ||
                code == wire::ErrorCode::unauthenticated)
                throw Refused(what);
            if (code == wire::ErrorCode::frame_too_large) throw FrameTooLarge(what);
            throw Disconnected(what);
        }
        use(message);
    } catch (const kj::Exception& e) {
        throw Disconnected(std::string("unreadable reply: ") + e.getDescription().cStr());
    }
}

void report_master(const DownlinkParts::Applied& applied, Outbox& outbox, std::ostream& out) {
    if (!applied.changed) return;
    out << "master data: version " << applied.to << " (was " << applied.from << "), "
        << terminals_known(outbox.database()) << " terminals known; " << applied.terminals
        << " terminals, " << applied.products << " products and " << applied.distributors
        << " distributors new or changed, " << applied.removed << " removed" << std::endl;
}

void report_plan(const DownlinkParts::Applied& applied, std::ostream& out) {
    if (!applied.plan) return;
    out << "visit plan: version " << applied.plan->to << " (was " << applied.plan->from << "), "
        << applied.plan->visits << " visit" << (applied.plan->visits == 1 ? "" : "s")
        << " from yesterday to a week ahead" << std::endl;
}

// The frames up to the welcome, which `use` reads: a gateway that brings
// master data sends its parts first, one from before the welcome alone.
template <typename Use>
void receive_welcome(Connection& connection, DownlinkParts& downlink, Use&& use) {
    for (bool welcomed = false; !welcomed;)
        receive(connection, {}, [&](wire::ServerMessage::Reader reply) {
            if (!reply.isDownlink()) {
                welcomed = true;
                return use(reply);
            }
            try {
                downlink.take(reply.getDownlink());
            } catch (const std::runtime_error& e) {
                throw Disconnected(e.what());
            }
        });
}

struct Session {
    std::size_t batch_limit = 0;
    std::size_t frame_limit = 0;
    bool deflate = false;       // the gateway reads deflated batches
    std::size_t in_flight = 1;  // batches sent before the first one's ack
    PhotoLimits photos;         // none taken unless the welcome says so
};

// `batch`: the most records a batch may hold, --batch or less.
Session handshake(Connection& connection, Outbox& outbox, const Identity& identity,
                  const SyncOptions& options, std::size_t batch) {
    capnp::MallocMessageBuilder message;
    auto hello = message.initRoot<wire::ClientMessage>().initHello();
    hello.setProtocolVersion(wire::PROTOCOL_VERSION);
    hello.setDeviceId(identity.device);
    hello.setRepId(identity.rep);
    hello.setAgentVersion(options.agent_version);
    hello.setOutboxDepth(outbox.depth());
    hello.setCredential(outbox.credential());
    // Nothing numbered yet: perhaps a wiped handheld whose old records the
    // gateway holds; its welcome then says where to continue.
    const bool fresh = outbox.next_seq() == 1;
    hello.setFreshOutbox(fresh);
    hello.setMasterVersion(master_version_to_ask(outbox.database()));
    hello.setPlanVersion(plan_version_to_ask(outbox.database(), core::unix_now_ms()));
    connection.send(message, reply_timeout);

    Session session;
    session.batch_limit = batch;
    session.frame_limit = max_reply_bytes;
    DownlinkParts downlink;
    receive_welcome(connection, downlink, [&](wire::ServerMessage::Reader reply) {
        if (!reply.isWelcome()) throw Disconnected("expected a welcome from the gateway");
        auto welcome = reply.getWelcome();
        if (welcome.getProtocolVersion() != wire::PROTOCOL_VERSION)
            throw Refused("the gateway speaks protocol " +
                          std::to_string(welcome.getProtocolVersion()) + ", this agent " +
                          std::to_string(wire::PROTOCOL_VERSION));
        // A limit of 0 means the gateway announced none: keep our own.
        if (auto records = welcome.getMaxBatchRecords())
            session.batch_limit = std::min<std::size_t>(batch, records);
        if (auto bytes = welcome.getMaxFrameBytes())
            session.frame_limit = std::min<std::size_t>(max_reply_bytes, bytes);
        session.deflate = welcome.getAcceptsDeflate();
        session.photos = photo_limits(welcome);
        // 0: a gateway from before it said, which reads one batch at a time.
        if (auto batches = welcome.getMaxBatchesInFlight())
            session.in_flight = std::min<std::size_t>(most_batches_in_flight, batches);
        if (auto highest = welcome.getHighestSeq(); fresh && highest > 0) {
            if (outbox.continue_after(highest))
                *options.out << "the gateway holds records up to " << highest << " for device "
                             << identity.device << ": this handheld continues after them\n";
        }
    });
    if (downlink.started() && !downlink.complete())
        throw Disconnected("the gateway welcomed before the last part of the master data");
    if (downlink.complete()) {
        try {
            auto applied = downlink.apply(outbox.database());
            report_master(applied, outbox, *options.out);
            report_plan(applied, *options.out);
        } catch (const std::runtime_error& e) {
            // Nothing was applied, and the next hello asks from the version
            // held; the records still go, even from a full disk.
            *options.out << "master data and plan not brought up to date (" << e.what()
                         << "): it stays at version " << master_version(outbox.database())
                         << std::endl;
        }
    }
    return session;
}

// The batch of the first `n` records, built in one segment so that its
// serialized size is exactly what the gateway will count against its limit.
// `bare`: the Batch as a message of its own, to be deflated.
std::unique_ptr<capnp::MallocMessageBuilder> build_batch(const std::vector<Queued>& queued,
                                                         std::size_t n, bool bare = false) {
    std::size_t words = 16 + n;  // root, union, batch and list pointers
    for (std::size_t i = 0; i < n; ++i) words += (queued[i].envelope.size() + 7) / 8;
    auto message = std::make_unique<capnp::MallocMessageBuilder>(static_cast<unsigned>(words));
    auto batch = bare ? message->initRoot<wire::Batch>()
                      : message->initRoot<wire::ClientMessage>().initBatch();
    auto records = batch.initRecords(static_cast<unsigned>(n));
    for (unsigned i = 0; i < n; ++i)
        records.set(i, kj::arrayPtr(reinterpret_cast<const kj::byte*>(queued[i].envelope.data()),
                                    queued[i].envelope.size()));
    return message;
}

std::size_t frame_bytes(capnp::MessageBuilder& message) {
    return capnp::computeSerializedSizeInWords(message) * sizeof(capnp::word);
}

// Sends the oldest records after seq `after` that fit one frame; returns
// them, or nothing when none is queued.
std::vector<Queued> send_batch(Connection& connection, Outbox& outbox, const Session& session,
                               std::uint64_t after) {
    auto queued = outbox.oldest(session.batch_limit, after);
    if (queued.empty()) return queued;
    // Estimate from the records' sizes, then trim until the real frame fits.
    std::size_t bytes = frame_overhead_bytes;
    std::size_t fit = 0;
    while (fit < queued.size() && bytes + queued[fit].envelope.size() + 16 <= session.frame_limit) {
        bytes += queued[fit].envelope.size() + 16;
        ++fit;
    }
    fit = std::max<std::size_t>(fit, 1);
    auto message = build_batch(queued, fit);
    while (frame_bytes(*message) > session.frame_limit) {
        if (fit == 1)
            throw Refused("record " + std::to_string(queued[0].seq) +
                          " is larger than the gateway accepts (" +
                          std::to_string(session.frame_limit) + " bytes a frame)");
        fit = fit * 3 / 4;
        message = build_batch(queued, fit);
    }
    queued.resize(fit);
    if (session.deflate) {
        // The bare batch is smaller than the frame just checked, so it
        // inflates within the gateway's limit.
        auto flat = capnp::messageToFlatArray(*build_batch(queued, fit, true));
        capnp::MallocMessageBuilder deflated;
        deflated.initRoot<wire::ClientMessage>().setDeflatedBatch(
            wire::deflate_bytes(flat.asBytes()));
        connection.send(deflated, reply_timeout);
    } else {
        connection.send(*message, reply_timeout);
    }
    return queued;
}

// Reads the ack of the batch `queued` and deletes what it answered;
// returns how many that was.
std::size_t receive_ack(Connection& connection, Outbox& outbox, const std::vector<Queued>& queued,
                        std::ostream& out) {
    std::vector<Acked> acked;
    receive(connection, {}, [&](wire::ServerMessage::Reader reply) {
        if (!reply.isAck()) throw Disconnected("expected an ack from the gateway");
        auto results = reply.getAck().getResults();
        if (results.size() != queued.size())
            throw Disconnected("the ack has " + std::to_string(results.size()) + " results for " +
                               std::to_string(queued.size()) + " records");
        for (unsigned i = 0; i < results.size(); ++i) {
            auto result = results[i];
            const char* verdict = verdict_name(result.getVerdict());
            if (!verdict) continue;  // not judged: stays queued
            if (result.getSeq() != 0 && result.getSeq() != queued[i].seq)
                throw Disconnected("the ack answers seq " + std::to_string(result.getSeq()) +
                                   " where " + std::to_string(queued[i].seq) + " was sent");
            Acked a{queued[i].seq, queued[i].kind, verdict, {}};
            for (auto reason : result.getReasons())
                a.reasons.push_back({reason.getCode(), reason.getDetail()});
            if (a.verdict != "accepted")
                out << "  " << in_plain_words(a) << (result.getDuplicate() ? " (sent before)" : "")
                    << '\n';
            acked.push_back(std::move(a));
        }
    });
    // A gateway that judges nothing is not making progress: pause like for
    // any other trouble rather than resend the same batch at once.
    if (acked.empty())
        throw Disconnected("the gateway judged none of the " + std::to_string(queued.size()) +
                           " records sent; they stay queued");
    outbox.acknowledge(acked);
    return acked.size();
}

}  // namespace

int sync(Outbox& outbox, const SyncOptions& options) {
    auto identity = outbox.identity();
    if (!identity) throw Refused("this handheld is not set up yet: run init first");
    // Sealed records go out only opened: a locked handheld waits for its PIN.
    if (outbox.lock_state().status == LockStatus::locked) throw Locked();

    const auto start = Clock::now();
    const auto total = outbox.depth();
    std::uint64_t acked = 0;
    auto backoff = 200ms;
    std::mt19937_64 random(std::random_device{}());
    auto& out = *options.out;
    // Halved each time the gateway refuses a frame as too large.
    std::size_t batch_records = options.batch;
    bool one_at_a_time = false;
    // Batches sent and not acked yet, oldest first.
    std::deque<std::vector<Queued>> sent;

    // Every sync says hello once, even with nothing to send: the gateway
    // brings the master data up to date, and the welcome may tell a fresh
    // outbox to number its records after those of the device's earlier life.
    bool greeted = false;
    // Photos go after the records, to a gateway that takes them; one that
    // does not leaves them queued here, and the sync ends with the records.
    bool photos_taken = true;
    PhotosSent photos;
    auto photos_waiting = [&] { return photos_taken && outbox.photo_counts().queued > 0; };
    std::vector<SyncOptions::Gateway> gateways{{options.host, options.port}};
    gateways.insert(gateways.end(), options.more_gateways.begin(), options.more_gateways.end());
    std::size_t at = 0;  // the gateway tried next
    // Gateways that failed in turn since one last welcomed us, and how many
    // of them because their certificate did not verify.
    std::size_t failed = 0, untrusted = 0;
    // The next gateway: true to try it at once, false when every one has
    // failed in turn and the round ends in the backoff's pause.
    auto move_on = [&](const std::string& what) {
        ++failed;
        at = (at + 1) % gateways.size();
        if (failed >= gateways.size()) {
            failed = untrusted = 0;
            return false;
        }
        if (options.log)
            options.log->warn("{}; trying the next gateway gateway={}:{}", what, gateways[at].host,
                              gateways[at].port);
        return true;
    };
    while (outbox.depth() > 0 || !greeted || photos_waiting()) {
        // Why the last gateway of a round failed, once every one has.
        std::optional<std::string> round_over;
        try {
            Connection connection(gateways[at].host, gateways[at].port, connect_timeout,
                                  options.ca);
            auto session = handshake(connection, outbox, *identity, options, batch_records);
            failed = untrusted = 0;
            greeted = true;
            if (one_at_a_time) session.in_flight = 1;
            // Batches go ahead of their acks as far as the gateway allows: it
            // commits one while it syncs the one before, and a far gateway's
            // round trip is paid once for several. Records a gateway did not
            // judge are sent again on the next connection.
            sent.clear();
            std::uint64_t after = 0;
            for (;;) {
                while (sent.size() < session.in_flight) {
                    auto batch = send_batch(connection, outbox, session, after);
                    if (batch.empty()) break;
                    after = batch.back().seq;
                    sent.push_back(std::move(batch));
                }
                if (sent.empty()) break;
                acked += receive_ack(connection, outbox, sent.front(), out);
                sent.pop_front();
                backoff = 200ms;
                out << "acked " << acked << " of " << total << std::endl;
            }
            photos_taken = session.photos.max_bytes > 0;
            if (photos_waiting()) {
                auto now = send_photos(
                    connection, outbox, session.photos,
                    [&](const auto& use) { receive(connection, {}, use); }, reply_timeout, out);
                photos.delivered += now.delivered;
                photos.refused += now.refused;
                backoff = 200ms;
            }
        } catch (const Untrusted& e) {
            // Not the gateway we trust, or not over TLS: nothing is sent, and
            // trying it again would not change that; another may be ours.
            if (++untrusted == gateways.size())
                throw Refused(std::string(e.what()) + "; " + std::to_string(outbox.depth()) +
                              " records stay queued");
            if (!move_on(e.what())) round_over = e.what();
        } catch (const FrameTooLarge& e) {
            // The gateway reads less than it announced, or announced nothing
            // (an older one): the records not acked go again at once, in
            // batches half the size of the largest one in flight; once they
            // are single records, one at a time, so that the refused one is
            // known. That one cannot be sent: it is reported and stays queued.
            std::size_t largest = 0;
            for (const auto& b : sent) largest = std::max(largest, b.size());
            if (largest > 1) {
                batch_records = largest / 2;
            } else if (sent.size() > 1) {
                one_at_a_time = true;
            } else {
                std::string what = sent.empty()
                                       ? std::string("a frame")
                                       : "record " + std::to_string(sent.front().front().seq);
                throw Refused(what + " is larger than the gateway accepts (" + e.what() + "); " +
                              std::to_string(outbox.depth()) + " records stay queued");
            }
            if (options.log)
                options.log->info("sending smaller batches after {} batch={} one_at_a_time={}",
                                  e.what(), batch_records, one_at_a_time);
        } catch (const Disconnected& e) {
            if (!move_on(e.what())) round_over = e.what();
        }
        if (!round_over) continue;
        const std::string& what = *round_over;
        if (Clock::now() - start >= options.retry_for) {
            out << "gateway unreachable: " << outbox.depth() << " records still queued (" << what
                << ")" << std::endl;
            return 75;
        }
        // Full jitter: a fleet that lost the gateway together does not return together.
        auto pause = std::chrono::milliseconds(
            std::uniform_int_distribution<long>(0, backoff.count())(random));
        // Never sleep past --retry-for: the rep is told promptly that records wait.
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(options.retry_for -
                                                                          (Clock::now() - start));
        pause = std::min(pause, std::max(left, 0ms));
        if (options.log)
            options.log->warn("{}; retrying pause_ms={} queued={}", what, pause.count(),
                              outbox.depth());
        std::this_thread::sleep_for(pause);
        backoff = std::min<std::chrono::milliseconds>(backoff * 2, 10s);
    }
    out << "outbox empty: " << acked << " records delivered" << std::endl;
    if (photos.delivered > 0 || photos.refused > 0)
        out << "photos: " << photos.delivered << " delivered, " << photos.refused << " refused"
            << std::endl;
    if (auto queued = outbox.photo_counts().queued; queued > 0 && !photos_taken)
        out << "the gateway takes no photos: " << queued
            << " photos stay on the handheld for a gateway that does" << std::endl;
    return 0;
}

}  // namespace fieldflow::agent
