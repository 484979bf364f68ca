// An operator's login through gateway::OperatorLogin with the password
// check counted: one hash for a known and an unknown name alike, a bounded
// queue, and a stop that does not hash what still waits.

#include <doctest/doctest.h>

#include <utility>  // before Asio: Boost 1.74 with g++ 12 in C++20 needs it
#include <boost/asio.hpp>

#include <atomic>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "gateway/metrics.h"
#include "gateway/operator_login.h"
#include "program/log.h"
#include "store/gateway_store.h"
#include "support/process.h"
#include "support/scratch_store.h"

using namespace fieldflow;
using gateway::LoginVerdict;

namespace {

// A store with reviewer zhang, each password check a login makes counted.
struct ReviewerLogins {
    test::TempDir dir;
    std::string db = dir.store("gateway.db");
    store::GatewayStore store{db};
    gateway::Metrics metrics;
    program::Log log{spdlog::level::off};
    boost::asio::io_context io;
    std::mutex mutex;
    std::vector<std::string> checked;  // the stored hash of each check, in turn

    ReviewerLogins() {
        store.operators().put("zhang", store::Role::reviewer, "correct horse", "test");
    }

    gateway::PasswordCheck counted() {
        return [this](std::string_view password, std::string_view stored) {
            {
                std::lock_guard lock(mutex);
                checked.emplace_back(stored);
            }
            return store::password_matches(password, stored);
        };
    }

    // One attempt, run on the io_context as the console runs it.
    LoginVerdict attempt(gateway::OperatorLogin& login, const std::string& name,
                         const std::string& password) {
        std::optional<LoginVerdict> verdict;
        boost::asio::post(io, [&] {
            login.attempt(name, password, "10.0.0.1", [&](LoginVerdict v) { verdict = v; });
        });
        io.restart();
        io.run();
        REQUIRE(verdict);
        return *verdict;
    }
};

// "pbkdf2-sha256$ITERATIONS": what one check of that hash costs.
std::string cost(const std::string& stored) {
    return stored.substr(0, stored.find('$', stored.find('$') + 1));
}

}  // namespace

TEST_CASE("operator login: a known and an unknown name each cost one hash of the same cost") {
    ReviewerLogins f;
    gateway::OperatorLogin login(f.io.get_executor(), f.store, f.metrics, {},
                                 f.log.component("http"), f.counted());
    CHECK(f.attempt(login, "zhang", "wrong password").result == LoginVerdict::Result::wrong);
    CHECK(f.attempt(login, "nobody", "wrong password").result == LoginVerdict::Result::wrong);
    auto ok = f.attempt(login, "zhang", "correct horse");
    CHECK(ok.result == LoginVerdict::Result::ok);
    REQUIRE(ok.who);
    CHECK(ok.who->name == "zhang");
    CHECK(ok.who->role == store::Role::reviewer);

    REQUIRE(f.checked.size() == 3);
    CHECK(cost(f.checked[1]) == cost(f.checked[0]));
    CHECK(cost(f.checked[0]).rfind("pbkdf2-sha256$", 0) == 0);
}

TEST_CASE("operator login: a locked-out name is refused without a hash, whatever the password") {
    ReviewerLogins f;
    gateway::OperatorLogin login(f.io.get_executor(), f.store, f.metrics, {},
                                 f.log.component("http"), f.counted());
    for (int i = 0; i < 5; ++i) f.attempt(login, "zhang", "wrong password");
    auto locked = f.attempt(login, "zhang", "correct horse");
    CHECK(locked.result == LoginVerdict::Result::locked_out);
    CHECK(locked.retry_after > std::chrono::seconds(0));
    CHECK(f.checked.size() == 5);
}

TEST_CASE("operator login: beyond the queue's bound a login is busy, and a stop hashes no more") {
    ReviewerLogins f;
    gateway::LoginLimits limits;
    limits.hashing_threads = 1;
    limits.max_pending = 3;
    std::promise<void> release;
    auto released = release.get_future().share();
    std::atomic<int> hashes = 0;
    gateway::OperatorLogin login(f.io.get_executor(), f.store, f.metrics, limits,
                                 f.log.component("http"),
                                 [&](std::string_view password, std::string_view stored) {
                                     ++hashes;
                                     released.wait();
                                     return store::password_matches(password, stored);
                                 });
    std::mutex mutex;
    std::vector<LoginVerdict::Result> results;
    auto work = boost::asio::make_work_guard(f.io);
    std::thread runner([&] { f.io.run(); });
    std::promise<void> sent;
    boost::asio::post(f.io, [&] {
        for (int i = 0; i < 4; ++i)
            login.attempt("zhang", "wrong password", "10.0.0.1", [&](LoginVerdict v) {
                std::lock_guard lock(mutex);
                results.push_back(v.result);
            });
        sent.set_value();
    });
    sent.get_future().wait();
    {
        // The fourth found three waiting and was turned away at once.
        std::lock_guard lock(mutex);
        REQUIRE(results.size() == 1);
        CHECK(results[0] == LoginVerdict::Result::busy);
    }
    // The first is being hashed (after the hash for unknown names, made first).
    while (hashes == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    boost::asio::post(f.io, [&] { login.stop(); });
    std::promise<void> stopped;
    boost::asio::post(f.io, [&] { stopped.set_value(); });
    stopped.get_future().wait();
    release.set_value();
    work.reset();
    runner.join();
    // The one under way finished; the two waiting were never hashed.
    CHECK(hashes == 1);
    std::vector<LoginVerdict::Result> expected{
        LoginVerdict::Result::busy, LoginVerdict::Result::wrong, LoginVerdict::Result::busy,
        LoginVerdict::Result::busy};
    CHECK(results == expected);
}
