#pragma once
// One agent connection. It reads one frame at a time and reads the next only
// after the previous batch is committed and acked, so a connection never
// holds more than one frame in memory and a slow store slows its readers
// instead of filling memory. Every wait has a deadline.

#include <utility>  // before Asio: Boost 1.74 with g++ 12 in C++20 needs it
#include <boost/asio.hpp>

#include <capnp/list.h>
#include <capnp/message.h>
#include <kj/array.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "gateway/ingest.h"
#include "gateway/metrics.h"
#include "gateway/options.h"
#include "schemas/transport.h"

namespace fieldflow::gateway {

class Session : public std::enable_shared_from_this<Session> {
  public:
    Session(wire::Transport transport, Ingest& ingest, Metrics& metrics, const Options& options);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    void start();
    // Ends the session once the batch in flight, if any, is acked.
    void drain();

  private:
    void read_frame();
    void read_frame_in_turn();
    void read_more(std::size_t words);
    void on_frame();
    // Hands a batch's records to the committer; reads nothing more until it answers.
    void submit(capnp::List<capnp::Data>::Reader records);
    void on_hello_done(HelloResult result);
    void on_batch_done(BatchResult result);
    void send(capnp::MessageBuilder& message, bool close_after);
    void fail(const std::string& code, const std::string& message);
    void arm_timer(unsigned seconds, const char* what);
    void close(const std::string& why);

    wire::Transport socket_;
    boost::asio::steady_timer timer_;
    std::chrono::steady_clock::time_point rate_checked_;
    double rate_tokens_;  // records this connection may still send now
    Ingest& ingest_;
    Metrics& metrics_;
    const Options& options_;
    std::string peer_;

    std::vector<capnp::word> frame_;
    std::chrono::steady_clock::time_point frame_read_;  // when the last frame was whole
    std::size_t have_words_ = 0;
    kj::Array<capnp::word> outgoing_;

    std::string device_;  // set by the hello
    Hello sender_;
    bool busy_ = false;  // a batch is with the committer
    bool writing_ = false;
    bool acking_ = false;  // the write in flight is an ack
    bool draining_ = false;
    bool closed_ = false;
};

}  // namespace fieldflow::gateway
