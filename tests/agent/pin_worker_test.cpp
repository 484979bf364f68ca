// serve's PIN thread (agent/pin_worker.h): the work runs on a thread other
// than the io_context's, with an outbox of its own, one job at a time in
// the order asked, and what it threw is heard on the io_context's thread.

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "agent/pin_worker.h"
#include "agent/scratch_state.h"

using namespace fieldflow;

TEST_CASE("pin worker: works off the io thread, in order, and is heard on it") {
    test::ScratchState dir;
    boost::asio::io_context io;
    agent::Outbox outbox(dir.path());
    outbox.init({"dev-001", "R1"});
    agent::PinWorker worker(io, dir.path());

    std::vector<std::string> heard;
    std::vector<std::thread::id> worked_on, heard_on;
    for (int job = 0; job < 3; ++job)
        worker.run(
            [&, job](agent::Outbox& own) {
                worked_on.push_back(std::this_thread::get_id());
                // Its own connection sees what the io thread's committed.
                REQUIRE(own.identity().has_value());
                if (job == 1) throw std::runtime_error("job 1 failed");
            },
            [&, job](std::exception_ptr thrown) {
                heard_on.push_back(std::this_thread::get_id());
                std::string what = "ok";
                try {
                    if (thrown) std::rethrow_exception(thrown);
                } catch (const std::exception& e) {
                    what = e.what();
                }
                heard.push_back(std::to_string(job) + ": " + what);
                if (heard.size() == 3) io.stop();
            });
    // Kept running until the last outcome is heard.
    auto waiting = boost::asio::make_work_guard(io);
    io.run();
    CHECK(heard == std::vector<std::string>{"0: ok", "1: job 1 failed", "2: ok"});
    REQUIRE(worked_on.size() == 3);
    for (auto id : worked_on) CHECK(id != std::this_thread::get_id());
    for (auto id : heard_on) CHECK(id == std::this_thread::get_id());
}
