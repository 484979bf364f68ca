#include "agent/pin_worker.h"

#include <sodium.h>

#include <stdexcept>

namespace fieldflow::agent {

namespace asio = boost::asio;

PinWorker::PinWorker(asio::io_context& io, const std::filesystem::path& state_dir)
    : io_(io), outbox_(state_dir) {
    // libsodium picks its Argon2id and cipher code once: here, before a
    // second thread can use them while the first picks.
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not start");
}

PinWorker::~PinWorker() {
    thread_.stop();
    thread_.join();
}

void PinWorker::run(std::function<void(Outbox&)> work,
                    std::function<void(std::exception_ptr)> done) {
    asio::post(thread_, [this, work = std::move(work), done = std::move(done)]() mutable {
        std::exception_ptr thrown;
        try {
            work(outbox_);
        } catch (...) {
            thrown = std::current_exception();
        }
        // Moved, not copied: the io thread holds the only reference, so the
        // exception is released there and never on this thread after the
        // io thread has read it.
        asio::post(io_, [done = std::move(done), thrown = std::move(thrown)] { done(thrown); });
    });
}

}  // namespace fieldflow::agent
