#pragma once
// Where serve checks the rep's PIN: a thread of its own, off the
// io_context's. Argon2id takes a tenth of a second on a desktop core and
// half a second on a handheld's (docs/benchmarks.md); on the io thread,
// every other request of the page and every code of the scan engine would
// wait that long behind each PIN.
//
// The thread has an outbox of its own, a second SQLite connection to the
// same files, as a CLI command beside serve has: neither connection is
// ever used from two threads, and SQLite's locks order the two as they
// order serve and `fieldflow-agent unlock`. The data key the PIN unwraps
// is held where the io thread's outbox finds it (agent/key_ring.h, which
// locks what it keeps in the process).

#include <utility>  // before Asio: Boost 1.74 with g++ 12 in C++20 needs it
#include <boost/asio.hpp>

#include <exception>
#include <filesystem>
#include <functional>

#include "agent/outbox.h"

namespace fieldflow::agent {

class PinWorker {
  public:
    // Opens the outbox in `state_dir` for the worker; `io` hears each outcome.
    PinWorker(boost::asio::io_context& io, const std::filesystem::path& state_dir);
    // Lets the PIN in hand finish, drops those not begun (their outcomes
    // are never heard), and joins the thread.
    ~PinWorker();
    PinWorker(const PinWorker&) = delete;
    PinWorker& operator=(const PinWorker&) = delete;

    // Runs `work` on the worker's thread with the worker's outbox, one at a
    // time in the order asked; then `done` on the io_context's thread with
    // what `work` threw (null: nothing).
    void run(std::function<void(Outbox&)> work, std::function<void(std::exception_ptr)> done);

  private:
    boost::asio::io_context& io_;
    Outbox outbox_;
    // Last, so that it is joined before the outbox closes.
    boost::asio::thread_pool thread_{1};
};

}  // namespace fieldflow::agent
