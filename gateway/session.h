#pragma once
// One agent connection. It reads one frame at a time, and reads the next
// while the batches before it are with the committer, up to the welcome's
// maxBatchesInFlight: a connection holds at most that many batches and the
// frame being read, and a slow store slows its readers instead of filling
// memory. Acks go out in the batches' order. Every wait has a deadline.

#include <utility>  // before Asio: Boost 1.74 with g++ 12 in C++20 needs it
#include <boost/asio.hpp>

#include <capnp/list.h>
#include <capnp/message.h>
#include <kj/array.h>

#include <spdlog/logger.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway/downlink.h"
#include "gateway/ingest.h"
#include "gateway/metrics.h"
#include "gateway/options.h"
#include "net/transport.h"
#include "schemas/error_code.h"
#include "schemas/frame.h"
#include "schemas/protocol.capnp.h"

namespace fieldflow::gateway {

class Session : public std::enable_shared_from_this<Session> {
  public:
    // `conn` numbers the connection in the log, from the gateway's start.
    Session(wire::Transport transport, Ingest& ingest, Metrics& metrics, const Options& options,
            std::shared_ptr<spdlog::logger> log, std::uint64_t conn);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // Devices that ask for it get their master data before the welcome
    // (gateway/session_downlink.cpp); without, none does. Before start().
    void serve_downlink(Downlink* downlink) { downlink_ = downlink; }
    void start();
    // Ends the session once the batches in flight, if any, are acked.
    void drain();

  private:
    void read_frame();
    void read_frame_in_turn();
    void read_more(std::size_t words);
    void on_frame();
    // Hands a batch's records to the committer, and reads on if there is room.
    void submit(capnp::List<capnp::Data>::Reader records);
    void on_hello_done(const HelloResult& result);
    void on_batch_done(BatchResult result);
    // Sends what the device asked to be brought up to date, then the welcome.
    void welcome(kj::Array<capnp::word> welcome);
    void send_words(kj::Array<capnp::word> words);
    // A photo's chunk goes to the photo upload; the next frame is read once
    // it is answered (gateway/session_photos.cpp).
    void submit_photo_chunk(const wire::PhotoChunk::Reader& chunk);
    void on_photo_done(const PhotoReceipt& receipt);
    // Queued behind the messages not written yet. `acks_frame_read_at`: the
    // message acks the batch read whole then.
    void send(capnp::MessageBuilder& message, bool close_after,
              std::optional<std::chrono::steady_clock::time_point> acks_frame_read_at = {});
    void write_next();
    void on_written(boost::system::error_code ec);
    void fail(wire::ErrorCode code, const std::string& message);
    void arm_timer(unsigned seconds, const char* what);
    void close(const std::string& why);
    // The device for the log: "-" before its hello.
    const std::string& device() const;

    wire::Transport socket_;
    boost::asio::steady_timer timer_;
    std::chrono::steady_clock::time_point rate_checked_;
    double rate_tokens_;  // records this connection may still send now
    Ingest& ingest_;
    Metrics& metrics_;
    const Options& options_;
    std::shared_ptr<spdlog::logger> log_;
    std::uint64_t conn_;
    std::string peer_;

    wire::FrameWords frame_;
    std::chrono::steady_clock::time_point frame_read_;  // when the last frame was whole
    std::size_t have_words_ = 0;
    struct Outgoing {
        kj::Array<capnp::word> words;
        bool close_after;
        std::optional<std::chrono::steady_clock::time_point> acks_frame_read_at;
    };
    std::deque<Outgoing> outgoing_;  // the first is being written

    std::string device_;  // set by the hello
    Downlink* downlink_ = nullptr;
    std::optional<std::uint64_t> master_held_;  // the hello's masterVersion, when it has one
    std::optional<std::uint64_t> plan_held_;    // the hello's planVersion, when it has one
    Hello sender_;
    // When each batch with the committer was read whole, the oldest first.
    std::deque<std::chrono::steady_clock::time_point> in_flight_;
    bool welcoming_ = false;  // the hello is with the committer
    // From the accept until the welcome: the handshake deadline alone runs.
    bool handshaking_ = false;
    // Nothing of this connection is with the committer.
    bool idle() const { return in_flight_.empty() && !welcoming_ && !photo_pending_; }
    bool photo_pending_ = false;  // a photo chunk is with the photo upload
    bool reading_ = false;        // a frame is being read
    bool pausing_ = false;        // the next frame will be read once over the rate
    bool draining_ = false;
    bool failed_ = false;  // an error is sent, and nothing after it
    bool closed_ = false;
    bool counted_ = false;  // the device's open sessions include this one
};

}  // namespace fieldflow::gateway
