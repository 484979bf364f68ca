#pragma once
// The handheld page's HTTP listener (Boost.Beast), on loopback only. Every
// request is bounded in bytes and time, as the gateway's listener bounds
// its own. Two guards stand before any route: a request whose Host is not
// the address listened on gets 421 (a web page whose name was made to
// resolve to 127.0.0.1 — DNS rebinding — cannot read the API), and a POST
// without the per-start token in X-Fieldflow-Token gets 403 (another page
// open on the device cannot drive it; only the page this server gave the
// token to, through GET /api/session, can).
//
// GET /api/events is a stream of server-sent events: publish() sends an
// event to every open stream at once.

#include <utility>  // before Asio: Boost 1.74 with g++ 12 in C++20 needs it
#include <boost/asio.hpp>
#include <boost/beast/http.hpp>

#include <spdlog/logger.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <string_view>

namespace fieldflow::agent {

using UiRequest = boost::beast::http::request<boost::beast::http::string_body>;
using UiResponse = boost::beast::http::response<boost::beast::http::string_body>;

struct UiLimits {
    std::size_t max_header_bytes = std::size_t{16} * 1024;
    // A phone camera's photo; larger ones are refused with 413.
    std::size_t max_body_bytes = std::size_t{16} << 20;
    std::chrono::seconds request_timeout{30};
    // Streams of events open at once; the page needs one.
    std::size_t max_event_streams = 8;
};

// Answers a request that passed both guards, on the io_context's thread.
using UiHandler = std::function<UiResponse(const UiRequest&)>;
// Sends the answer to a request taken by a UiDeferral: once, on the
// io_context's thread, at once or later.
using UiReply = std::function<void(UiResponse)>;
// Asked first of every request that passed both guards: true when it took
// the request, to answer through the UiReply (for work that must not hold
// up the io_context's thread); the connection reads nothing more until then.
using UiDeferral = std::function<bool(const UiRequest&, UiReply)>;

class UiSession;

class UiServer {
  public:
    // Throws Refused (agent/outbox.h) when `host` is not a loopback
    // address, boost::system::system_error when it cannot be listened on.
    UiServer(boost::asio::io_context& io, const std::string& host, std::uint16_t port,
             UiHandler handler, std::shared_ptr<spdlog::logger> log, UiLimits limits = {});

    boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
    // The per-start token a POST must carry.
    const std::string& token() const { return token_; }
    // The first event every new stream gets (the state), before any published.
    void on_subscribe(std::function<std::string()> first) { first_event_ = std::move(first); }
    // Requests `deferral` takes are answered later, not by the handler.
    void defer(UiDeferral deferral) { deferral_ = std::move(deferral); }

    void start();
    void stop();
    // Sends `data` (one line of JSON) as event `name` to every open stream.
    void publish(const std::string& name, const std::string& data);

    // Whether a request with this Host header is one for us.
    bool serves(std::string_view host) const;

  private:
    friend class UiSession;
    void accept();

    boost::asio::ip::tcp::acceptor acceptor_;
    UiHandler handler_;
    std::shared_ptr<spdlog::logger> log_;
    UiLimits limits_;
    std::string token_;
    std::string host_;  // as bound: 127.0.0.1 or ::1
    std::string port_;
    std::function<std::string()> first_event_;
    UiDeferral deferral_;
    std::list<std::weak_ptr<UiSession>> sessions_;
};

// A JSON response with the given status.
UiResponse json_response(const UiRequest& request, boost::beast::http::status status,
                         std::string body);

// The API's error: {"error": code, "message": Chinese, "message_en": English}
// merged with `extra` (a JSON object's members, or empty).
UiResponse api_error(const UiRequest& request, boost::beast::http::status status,
                     const std::string& code, const std::string& message_zh,
                     const std::string& message_en, const std::string& extra_json = {});

}  // namespace fieldflow::agent
