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
#include <string_view>
#include <vector>

#include "gateway/log_throttle.h"

namespace fieldflow::gateway {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// Hands a response to a connection that waits for it, from any thread.
using HttpReply = std::function<void(HttpResponse)>;

// A response, the head of a stream of server-sent events, or a promise of
// a response. With `events` set, the connection stays open and gets
// `events()` as one event every `period` until it returns nullopt or the
// browser leaves. With `later` set, the connection waits for the response
// that `later` passes to its reply, from whatever thread does the slow
// work (a password hash), so that the listener's thread answers others
// meanwhile; a reply that is dropped unsent closes the connection.
struct HttpAnswer {
    HttpAnswer(HttpResponse r) : response(std::move(r)) {}
    static HttpAnswer deferred(std::function<void(HttpReply)> later) {
        HttpAnswer answer{HttpResponse{}};
        answer.later = std::move(later);
        return answer;
    }
    HttpResponse response;
    std::function<std::optional<std::string>()> events;
    std::chrono::milliseconds period{2000};
    std::function<void(HttpReply)> later;
};

// Answers one request from `peer` (the client's address), on the
// listener's thread.
using HttpHandler = std::function<HttpAnswer(const HttpRequest&, const std::string& peer)>;

struct HttpLimits {
    std::size_t max_header_bytes = std::size_t{16} * 1024;
    std::size_t max_body_bytes = std::size_t{64} * 1024;
    // Paths starting with `upload_prefix` (none when empty) take bodies of
    // up to `max_upload_bytes`: a distributor's file, not a form.
    std::string upload_prefix;
    std::size_t max_upload_bytes = std::size_t{8} * 1024 * 1024;
    std::chrono::seconds request_timeout{10};
};

class HttpSession;

class HttpServer {
  public:
    // Throws boost::system::system_error when the address is unusable.
    // Requests are answered only when their Host is the listening address
    // (with or without its port) or one of `names` (with any port): a page
    // of another site whose name was made to resolve to this address (DNS
    // rebinding) gets 421 instead.
    HttpServer(boost::asio::io_context& io, const std::string& host, std::uint16_t port,
               HttpHandler handler, std::shared_ptr<spdlog::logger> log, HttpLimits limits = {},
               std::vector<std::string> names = {});

    boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
    void start();
    // Stops accepting and closes every open connection, so that a shutdown
    // does not wait out browsers' keep-alive connections.
    void stop();

    // Whether a request with this Host header is one for us. A request
    // without one (HTTP/1.0; no browser sends such) is.
    bool serves(std::string_view host) const;

  private:
    friend class HttpSession;
    void accept();

    boost::asio::ip::tcp::acceptor acceptor_;
    HttpHandler handler_;
    std::shared_ptr<spdlog::logger> log_;
    HttpLimits limits_;
    std::vector<std::string> addresses_;  // the listening host, as given and as bound
    std::string port_;                    // ":PORT" as bound: the listener may be closed by now
    std::vector<std::string> names_;      // --http-host
    std::list<std::weak_ptr<HttpSession>> sessions_;
    // An accept that fails (no file descriptors left) is tried again after
    // a pause, and said at most once a minute with how often it repeated.
    boost::asio::steady_timer retry_;
    LogThrottle accept_errors_{std::chrono::minutes(1)};
};

// A plain response with the given status, type and body.
HttpResponse http_response(const HttpRequest& request, boost::beast::http::status status,
                           const std::string& content_type, std::string body);

}  // namespace fieldflow::gateway
