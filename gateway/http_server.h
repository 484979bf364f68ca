#pragma once
// The operators' HTTP listener (Boost.Beast), apart from the agents' port
// so that a storm of uploads and a browser never queue behind each other.
// Every request is bounded: its header and body in bytes, and all of it in
// time; a request that breaks a bound gets its status and the connection
// closes, costing no one else anything.

#include <utility>  // before Asio: Boost 1.74 with g++ 12 in C++20 needs it
#include <boost/asio.hpp>
#include <boost/beast/http.hpp>

#include <spdlog/logger.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>

namespace fieldflow::gateway {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// A response, or the head of a stream of server-sent events: with `events`
// set, the connection stays open and gets `events()` as one event every
// `period` until it returns nullopt or the browser leaves.
struct HttpAnswer {
    HttpAnswer(HttpResponse r) : response(std::move(r)) {}
    HttpResponse response;
    std::function<std::optional<std::string>()> events;
    std::chrono::milliseconds period{2000};
};

// Answers one request, on the listener's thread.
using HttpHandler = std::function<HttpAnswer(const HttpRequest&)>;

struct HttpLimits {
    std::size_t max_header_bytes = std::size_t{16} * 1024;
    std::size_t max_body_bytes = std::size_t{64} * 1024;
    std::chrono::seconds request_timeout{10};
};

class HttpSession;

class HttpServer {
  public:
    // Throws boost::system::system_error when the address is unusable.
    HttpServer(boost::asio::io_context& io, const std::string& host, std::uint16_t port,
               HttpHandler handler, std::shared_ptr<spdlog::logger> log, HttpLimits limits = {});

    boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
    void start();
    // Stops accepting and closes every open connection, so that a shutdown
    // does not wait out browsers' keep-alive connections.
    void stop();

  private:
    void accept();

    boost::asio::ip::tcp::acceptor acceptor_;
    HttpHandler handler_;
    std::shared_ptr<spdlog::logger> log_;
    HttpLimits limits_;
    std::list<std::weak_ptr<HttpSession>> sessions_;
};

// A plain response with the given status, type and body.
HttpResponse http_response(const HttpRequest& request, boost::beast::http::status status,
                           const std::string& content_type, std::string body);

}  // namespace fieldflow::gateway
