#include "gateway/session.h"

#include <capnp/serialize.h>
#include <kj/exception.h>

#include <chrono>

#include "core/clock.h"
#include "gateway/log_field.h"
#include "schemas/protocol.capnp.h"

namespace fieldflow::gateway {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

// What every hello from before masterVersion (and planVersion) reads as.
constexpr std::uint64_t no_master_version = ~std::uint64_t{0};

wire::Verdict to_wire(core::Outcome outcome) {
    switch (outcome) {
        case core::Outcome::accepted:
            return wire::Verdict::ACCEPTED;
        case core::Outcome::flagged:
            return wire::Verdict::FLAGGED;
        case core::Outcome::rejected:
            return wire::Verdict::REJECTED;
    }
    return wire::Verdict::REJECTED;
}

}  // namespace

Session::Session(wire::Transport transport, Ingest& ingest, Metrics& metrics,
                 const Options& options, std::shared_ptr<spdlog::logger> log, std::uint64_t conn)
    : socket_(std::move(transport)),
      timer_(socket_.get_executor()),
      rate_checked_(std::chrono::steady_clock::now()),
      rate_tokens_(options.max_device_rate),
      ingest_(ingest),
      metrics_(metrics),
      options_(options),
      log_(std::move(log)),
      conn_(conn) {
    metrics_.connection_opened();
    error_code ec;
    auto endpoint = socket_.socket().remote_endpoint(ec);
    peer_ = ec ? "unknown peer"
               : endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

Session::~Session() {
    if (!closed_) metrics_.connection_closed();
    if (counted_) metrics_.device_disconnected(device_);
}

void Session::start() {
    log_->debug("connection opened conn={} peer={} tls={}", conn_, peer_,
                socket_.tls() ? "yes" : "no");
    // One deadline, fixed now, covers the TLS handshake, the hello and the
    // welcome: the frame timer is not armed before it, or a hello dribbled
    // in would earn a fresh frame deadline once its first word arrived.
    arm_timer(options_.handshake_timeout_s, "no hello");
    handshaking_ = true;
    socket_.async_handshake(asio::ssl::stream_base::server,
                            [self = shared_from_this()](error_code ec) {
                                if (ec) return self->close("TLS handshake failed: " + ec.message());
                                self->read_frame();
                            });
}

void Session::drain() {
    draining_ = true;
    if (idle() && outgoing_.empty()) close("gateway shutting down");
}

void Session::arm_timer(unsigned seconds, const char* what) {
    timer_.expires_after(std::chrono::seconds(seconds));
    timer_.async_wait([self = shared_from_this(), what](error_code ec) {
        if (ec == asio::error::operation_aborted) return;
        self->fail(wire::ErrorCode::timeout, std::string(what) + " within the time limit");
    });
}

void Session::read_frame() {
    pausing_ = false;
    if (closed_ || reading_) return;
    if (draining_) {
        if (idle() && outgoing_.empty()) close("gateway shutting down");
        return;
    }
    reading_ = true;
    have_words_ = 0;
    // A device waiting for its acks is not idle: the deadline runs from
    // when nothing of it is in flight.
    if (!device_.empty() && idle()) arm_timer(options_.idle_timeout_s, "no frame");
    read_more(wire::frame_prefix_words);
}

// Reads until `words` words are in; then learns from the segment table how
// many more the frame announces, refusing an oversized frame before its body.
void Session::read_more(std::size_t words) {
    frame_.resize(words);
    auto* start = reinterpret_cast<char*>(frame_.data() + have_words_);
    std::size_t bytes = (words - have_words_) * sizeof(capnp::word);
    socket_.async_read(
        asio::buffer(start, bytes), [self = shared_from_this(), words](error_code ec, std::size_t) {
            if (ec) {
                return self->close(ec == asio::error::eof ? "closed by peer"
                                                          : "read failed: " + ec.message());
            }
            if (self->have_words_ == 0 && !self->handshaking_)
                self->arm_timer(self->options_.frame_timeout_s, "no whole frame");
            self->have_words_ = words;
            std::size_t announced =
                wire::announced_frame_words(kj::arrayPtr(self->frame_.data(), self->have_words_));
            if (announced * sizeof(capnp::word) > self->options_.limits.max_frame_bytes) {
                return self->fail(wire::ErrorCode::frame_too_large,
                                  "frame of " + std::to_string(announced * sizeof(capnp::word)) +
                                      " bytes exceeds the limit of " +
                                      std::to_string(self->options_.limits.max_frame_bytes));
            }
            if (announced > self->have_words_) return self->read_more(announced);
            self->on_frame();
        });
}

void Session::on_frame() {
    reading_ = false;
    if (!handshaking_) timer_.cancel();
    frame_read_ = std::chrono::steady_clock::now();
    metrics_.frame_in(have_words_ * sizeof(capnp::word));
    try {
        capnp::FlatArrayMessageReader reader(kj::arrayPtr(frame_.data(), have_words_),
                                             options_.limits.reader_options());
        auto message = reader.getRoot<wire::ClientMessage>();
        switch (message.which()) {
            case wire::ClientMessage::HELLO: {
                auto hello = message.getHello();
                if (!device_.empty())
                    return fail(wire::ErrorCode::malformed_frame, "a second hello");
                if (hello.getProtocolVersion() != wire::PROTOCOL_VERSION)
                    return fail(wire::ErrorCode::protocol_version,
                                "this gateway speaks protocol " +
                                    std::to_string(wire::PROTOCOL_VERSION) + ", the agent " +
                                    std::to_string(hello.getProtocolVersion()));
                std::string device = hello.getDeviceId();
                if (device.empty())
                    return fail(wire::ErrorCode::malformed_frame, "hello without deviceId");
                device_ = device;
                sender_ = Hello{{device_, hello.getRepId(), hello.getAgentVersion(),
                                 hello.getOutboxDepth(), core::unix_now_ms()},
                                hello.getCredential(),
                                peer_,
                                conn_,
                                hello.getFreshOutbox()};
                if (hello.getMasterVersion() != no_master_version)
                    master_held_ = hello.getMasterVersion();
                if (hello.getPlanVersion() != no_master_version)
                    plan_held_ = hello.getPlanVersion();
                log_->debug("hello device={} conn={} rep={} agent={:?} outbox={}",
                            log_field(device_), conn_, log_field(sender_.seen.rep),
                            sender_.seen.agent_version, sender_.seen.outbox_depth);
                // Nothing more is read until the welcome is sent.
                welcoming_ = true;
                auto executor = socket_.get_executor();
                ingest_.hello(
                    sender_, [self = shared_from_this(), guard = asio::make_work_guard(executor),
                              executor](HelloResult result) mutable {
                        asio::post(executor, [self, result = std::move(result)]() mutable {
                            self->on_hello_done(result);
                        });
                    });
                return;
            }
            case wire::ClientMessage::BATCH:
                if (device_.empty())
                    return fail(wire::ErrorCode::handshake_required, "a batch before the hello");
                return submit(message.getBatch().getRecords());
            case wire::ClientMessage::DEFLATED_BATCH: {
                if (device_.empty())
                    return fail(wire::ErrorCode::handshake_required, "a batch before the hello");
                auto inflated = wire::inflate_bytes(message.getDeflatedBatch(),
                                                    options_.limits.max_frame_bytes);
                if (!inflated.error.empty())
                    return fail(inflated.too_large ? wire::ErrorCode::frame_too_large
                                                   : wire::ErrorCode::malformed_frame,
                                inflated.error);
                capnp::FlatArrayMessageReader batch(inflated.words,
                                                    options_.limits.reader_options());
                return submit(batch.getRoot<wire::Batch>().getRecords());
            }
            case wire::ClientMessage::PHOTO_CHUNK:
                if (device_.empty())
                    return fail(wire::ErrorCode::handshake_required, "a photo before the hello");
                return submit_photo_chunk(message.getPhotoChunk());
        }
        fail(wire::ErrorCode::malformed_frame,
             "unknown message kind " + std::to_string(static_cast<int>(message.which())));
    } catch (const kj::Exception& e) {
        fail(wire::ErrorCode::malformed_frame, e.getDescription().cStr());
    }
}

void Session::submit(capnp::List<capnp::Data>::Reader records) {
    if (records.size() > options_.max_batch_records)
        return fail(wire::ErrorCode::too_many_records,
                    std::to_string(records.size()) + " records in one batch; the limit is " +
                        std::to_string(options_.max_batch_records));
    std::vector<RawRecord> raw;
    raw.reserve(records.size());
    for (auto record : records) {
        auto bytes = record.asBytes();
        auto* begin = reinterpret_cast<const std::byte*>(bytes.begin());
        raw.emplace_back(begin, begin + bytes.size());
    }
    if (options_.max_device_rate > 0) {
        // A bucket of one second's worth: what was sent beyond it is paid
        // for by waiting before the next frame is read.
        auto now = std::chrono::steady_clock::now();
        double refill = std::chrono::duration<double>(now - rate_checked_).count();
        rate_checked_ = now;
        rate_tokens_ =
            std::min(options_.max_device_rate, rate_tokens_ + refill * options_.max_device_rate) -
            double(records.size());
    }
    in_flight_.push_back(frame_read_);
    // The guard keeps the io_context running until the batch is answered.
    auto executor = socket_.get_executor();
    ingest_.submit(sender_, std::move(raw),
                   [self = shared_from_this(), guard = asio::make_work_guard(executor),
                    executor](BatchResult result) mutable {
                       asio::post(executor, [self, result = std::move(result)]() mutable {
                           self->on_batch_done(std::move(result));
                       });
                   });
    read_frame_in_turn();  // the next batch, while this one is with the committer
}

void Session::on_hello_done(const HelloResult& result) {
    welcoming_ = false;
    if (closed_ || failed_) return;
    handshaking_ = false;
    timer_.cancel();
    if (result.store_failed) return fail(wire::ErrorCode::store_unavailable, result.refusal);
    if (!result.accepted) return fail(wire::ErrorCode::unauthenticated, result.refusal);
    metrics_.device_connected(device_);
    counted_ = true;
    capnp::MallocMessageBuilder reply;
    auto welcome = reply.initRoot<wire::ServerMessage>().initWelcome();
    welcome.setProtocolVersion(wire::PROTOCOL_VERSION);
    welcome.setGatewayId(options_.gateway_id);
    welcome.setMaxFrameBytes(static_cast<std::uint32_t>(options_.limits.max_frame_bytes));
    welcome.setMaxBatchRecords(options_.max_batch_records);
    welcome.setAcceptsDeflate(true);
    welcome.setMaxBatchesInFlight(options_.max_batches_in_flight);
    welcome.setHighestSeq(result.highest_seq);
    if (options_.max_photo_bytes > 0) {
        auto photos = welcome.initPhotos();
        photos.setMaxPhotoBytes(options_.max_photo_bytes);
        photos.setChunkBytes(options_.photo_chunk_bytes);
    }
    this->welcome(wire::encode(reply));
}

void Session::on_batch_done(BatchResult result) {
    // Answers come in the order the batches were submitted, but for a
    // failed commit, which may overtake one that waits for its sync: the
    // session ends at the failure, and no ack is sent after it.
    auto read_at = in_flight_.front();
    in_flight_.pop_front();
    if (closed_ || failed_) return;
    if (result.unauthenticated) return fail(wire::ErrorCode::unauthenticated, result.error);
    if (!result.committed)
        return fail(wire::ErrorCode::store_unavailable,
                    "the store refused the commit: " + result.error);

    metrics_.device_acked(device_, result.results.size(), core::unix_now_ms());
    capnp::MallocMessageBuilder reply;
    auto results = reply.initRoot<wire::ServerMessage>().initAck().initResults(
        static_cast<unsigned>(result.results.size()));
    for (unsigned i = 0; i < result.results.size(); ++i) {
        const auto& r = result.results[i];
        auto out = results[i];
        out.setSeq(r.seq);
        out.setVerdict(to_wire(r.outcome));
        out.setDuplicate(r.duplicate);
        auto reasons = out.initReasons(static_cast<unsigned>(r.reasons.size()));
        for (unsigned j = 0; j < r.reasons.size(); ++j) {
            reasons[j].setCode(std::string(core::name(r.reasons[j].code)));
            reasons[j].setDetail(r.reasons[j].detail);
        }
    }
    send(reply, false, read_at);
    // Now the device is the one to speak, if it has said nothing yet.
    if (reading_ && idle() && have_words_ == 0) arm_timer(options_.idle_timeout_s, "no frame");
    read_frame_in_turn();  // room for one more batch
}

void Session::send(capnp::MessageBuilder& message, bool close_after,
                   std::optional<std::chrono::steady_clock::time_point> acks_frame_read_at) {
    outgoing_.push_back({wire::encode(message), close_after, acks_frame_read_at});
    if (outgoing_.size() == 1) write_next();
}

void Session::write_next() {
    auto bytes = outgoing_.front().words.asBytes();
    socket_.async_write(
        asio::buffer(bytes.begin(), bytes.size()),
        [self = shared_from_this()](error_code ec, std::size_t) { self->on_written(ec); });
}

void Session::on_written(error_code ec) {
    Outgoing sent = std::move(outgoing_.front());
    outgoing_.pop_front();
    if (ec) return close("write failed: " + ec.message());
    if (sent.acks_frame_read_at) {
        std::chrono::duration<double> waited =
            std::chrono::steady_clock::now() - *sent.acks_frame_read_at;
        metrics_.acked(waited.count());
    }
    if (sent.close_after) return close("closed after error");
    if (!outgoing_.empty()) return write_next();
    if (draining_ && idle()) return close("gateway shutting down");
    read_frame_in_turn();
}

// Over its rate, a device waits for its next frame to be read: backpressure
// through TCP, nothing refused and nothing buffered here. So does a device
// with as many batches in flight as the welcome allowed.
void Session::read_frame_in_turn() {
    if (closed_ || reading_ || pausing_ || in_flight_.size() >= options_.max_batches_in_flight)
        return;
    if (rate_tokens_ >= 0 || options_.max_device_rate <= 0) return read_frame();
    pausing_ = true;
    auto wait = std::chrono::duration<double>(-rate_tokens_ / options_.max_device_rate);
    timer_.expires_after(std::chrono::duration_cast<std::chrono::milliseconds>(wait));
    timer_.async_wait([self = shared_from_this()](error_code ec) {
        if (ec == asio::error::operation_aborted) return;
        self->read_frame();
    });
}

void Session::fail(wire::ErrorCode code, const std::string& message) {
    if (closed_ || failed_) return;
    failed_ = true;
    log_->warn("session error code={} device={} conn={} peer={} message={:?}", wire::name(code),
               log_field(device()), conn_, peer_, message);
    metrics_.session_error(wire::name(code));
    timer_.cancel();
    capnp::MallocMessageBuilder reply;
    auto error = reply.initRoot<wire::ServerMessage>().initError();
    error.setCode(std::string(wire::name(code)));
    error.setMessage(message);
    send(reply, true);
}

void Session::close(const std::string& why) {
    if (closed_) return;
    closed_ = true;
    metrics_.connection_closed();
    if (counted_) metrics_.device_disconnected(device_);
    counted_ = false;
    timer_.cancel();
    socket_.close();
    log_->debug("connection closed device={} conn={} peer={} why={:?}", log_field(device()), conn_,
                peer_, why);
}

const std::string& Session::device() const {
    static const std::string none = "-";
    return device_.empty() ? none : device_;
}

}  // namespace fieldflow::gateway
