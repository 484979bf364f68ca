// The handheld page's listener: its two guards (the Host it answers as, the
// per-start token of a POST), its event streams and the requests it answers
// later, in-process.

#include <doctest/doctest.h>

#include <atomic>
#include <future>
#include <thread>

#include "agent/outbox.h"
#include "agent/ui_server.h"
#include "program/log.h"
#include "support/http_client.h"

using namespace fieldflow::agent;
using fieldflow::test::http_request;
using fieldflow::test::HttpEventStream;
namespace http = boost::beast::http;

namespace {

std::shared_ptr<spdlog::logger> quiet() {
    return fieldflow::program::Log(spdlog::level::off).component("ui");
}

struct Running {
    boost::asio::io_context io;
    UiServer server{io, "127.0.0.1", 0,
                    [](const UiRequest& request) {
                        return json_response(request, http::status::ok, R"({"answered":true})");
                    },
                    quiet()};
    std::string address = "127.0.0.1:" + std::to_string(server.local_endpoint().port());
    std::thread thread;

    Running() {
        server.on_subscribe([] { return std::string("event: state\ndata: {}\n\n"); });
        server.start();
        thread = std::thread([this] { io.run(); });
    }
    ~Running() {
        boost::asio::post(io, [this] { server.stop(); });
        thread.join();
    }
};

}  // namespace

TEST_CASE("ui server: a request for another host name gets 421, whatever its method") {
    Running running;
    CHECK(http_request(running.address, "GET", "/api/state").status == 200);
    for (const auto* host : {"evil.example", "evil.example:80", "localhost", "127.0.0.1",
                             "127.0.0.1:1", "rebind.attacker.net:8090"}) {
        INFO(host);
        auto reply = http_request(running.address, "GET", "/api/state", "", {{"Host", host}});
        CHECK(reply.status == 421);
        CHECK(reply.body.find("\"error\":\"wrong_host\"") != std::string::npos);
        auto post = http_request(running.address, "POST", "/api/sync", "",
                                 {{"Host", host}, {"X-Fieldflow-Token", running.server.token()}});
        CHECK(post.status == 421);
    }
}

TEST_CASE("ui server: a POST without this start's token gets 403, with it reaches the route") {
    Running running;
    auto no_token = http_request(running.address, "POST", "/api/checkout");
    CHECK(no_token.status == 403);
    CHECK(no_token.body.find("\"error\":\"token\"") != std::string::npos);
    CHECK(no_token.body.find("\"message_en\"") != std::string::npos);
    auto wrong = http_request(running.address, "POST", "/api/checkout", "",
                              {{"X-Fieldflow-Token", std::string(32, '0')}});
    CHECK(wrong.status == 403);
    auto right = http_request(running.address, "POST", "/api/checkout", "",
                              {{"X-Fieldflow-Token", running.server.token()}});
    CHECK(right.status == 200);
    CHECK(right.body == R"({"answered":true})");
    // Another start, another token.
    Running other;
    CHECK(other.server.token() != running.server.token());
    CHECK(running.server.token().size() == 32);
}

TEST_CASE("ui server: only a loopback address is listened on") {
    boost::asio::io_context io;
    auto handler = [](const UiRequest& request) {
        return json_response(request, http::status::ok, "{}");
    };
    CHECK_THROWS_WITH_AS(UiServer(io, "0.0.0.0", 0, handler, quiet()),
                         doctest::Contains("not a loopback address"), Refused);
    CHECK_THROWS_AS(UiServer(io, "localhost", 0, handler, quiet()), Refused);
}

TEST_CASE("ui server: a published event reaches every open stream at once") {
    Running running;
    HttpEventStream first(running.address, "/api/events", {});
    HttpEventStream second(running.address, "/api/events", {});
    REQUIRE(first.status() == 200);
    REQUIRE(second.status() == 200);
    CHECK(first.next().value_or("") == "event: state\ndata: {}");
    CHECK(second.next().value_or("") == "event: state\ndata: {}");
    boost::asio::post(running.io, [&] { running.server.publish("scan", R"({"seq":7})"); });
    CHECK(first.next().value_or("") == "event: scan\ndata: {\"seq\":7}");
    CHECK(second.next().value_or("") == "event: scan\ndata: {\"seq\":7}");
}

TEST_CASE("ui server: a request the deferral took is answered later, and holds up no other") {
    Running running;
    std::promise<UiReply> taken;
    running.server.defer([&taken](const UiRequest& request, const UiReply& reply) {
        if (request.target() != "/api/slow") return false;
        taken.set_value(reply);
        return true;
    });
    std::atomic<bool> slow_answered = false;
    fieldflow::test::HttpReply slow;
    std::thread asking([&] {
        slow = http_request(running.address, "GET", "/api/slow");
        slow_answered = true;
    });
    auto reply = taken.get_future().get();
    // Taken and not answered: the handler still answers everything else.
    CHECK(http_request(running.address, "GET", "/api/state").body == R"({"answered":true})");
    CHECK_FALSE(slow_answered);
    UiRequest asked;
    asked.version(11);
    boost::asio::post(running.io, [reply, asked] {
        reply(json_response(asked, http::status::ok, R"({"later":true})"));
    });
    asking.join();
    CHECK(slow.status == 200);
    CHECK(slow.body == R"({"later":true})");
}
