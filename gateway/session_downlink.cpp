// The session's part in the downlink (gateway/downlink.h): the welcome is
// held back until the device's delta is ready and goes after its parts, so
// that the agent has them before it uploads; an agent that did not ask, or
// a gateway from before, has the welcome alone.

#include "gateway/log_field.h"
#include "gateway/session.h"

namespace fieldflow::gateway {

namespace asio = boost::asio;

void Session::welcome(kj::Array<capnp::word> welcome) {
    if (!downlink_ || (!master_held_ && !plan_held_)) return send_words(std::move(welcome));
    // Nothing is read meanwhile, as while the hello is with the committer.
    welcoming_ = true;
    auto executor = socket_.get_executor();
    // Shared: the callback is a std::function, which must be copyable.
    auto held_back = std::make_shared<kj::Array<capnp::word>>(std::move(welcome));
    downlink_->prepare(
        sender_.seen.rep, master_held_, plan_held_,
        [self = shared_from_this(), guard = asio::make_work_guard(executor), executor, held_back](
            DownlinkFrames frames, std::string error) mutable {
            asio::post(executor, [self, held_back, frames = std::move(frames),
                                  error = std::move(error)]() mutable {
                self->welcoming_ = false;
                if (self->closed_ || self->failed_) return;
                if (!error.empty()) {
                    // The device keeps what it holds and uploads as ever:
                    // one part that brings nothing.
                    self->log_->warn("downlink not sent device={} conn={} error={:?}",
                                     log_field(self->device_), self->conn_, error);
                    frames = downlink_unchanged(self->master_held_.value_or(0),
                                                self->options_.limits.max_frame_bytes);
                }
                std::size_t bytes = 0;
                for (const auto& frame : frames) bytes += frame.size() * sizeof(capnp::word);
                self->log_->debug(
                    "downlink device={} conn={} held={} plan_held={} parts={} bytes={}",
                    log_field(self->device_), self->conn_, self->master_held_.value_or(0),
                    self->plan_held_.value_or(0), frames.size(), bytes);
                for (auto& frame : frames) self->send_words(std::move(frame));
                self->send_words(std::move(*held_back));
            });
        });
}

void Session::send_words(kj::Array<capnp::word> words) {
    outgoing_.push_back({std::move(words), false, {}});
    if (outgoing_.size() == 1) write_next();
}

}  // namespace fieldflow::gateway
