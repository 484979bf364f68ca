#include "gateway/http_server.h"

#include <boost/beast/core.hpp>

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>

namespace fieldflow::gateway {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;

class HttpSession : public std::enable_shared_from_this<HttpSession> {
  public:
    HttpSession(asio::ip::tcp::socket socket, const HttpServer& server)
        : stream_(std::move(socket)),
          server_(server),
          handler_(server.handler_),
          log_(server.log_),
          limits_(server.limits_) {
        error_code ec;
        auto remote = stream_.socket().remote_endpoint(ec);
        if (!ec) peer_ = remote.address().to_string();
    }

    void read() {
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
        // The larger limit until the head says which path: the parser
        // checks a Content-Length against it as the head ends.
        parser_->body_limit(limits_.upload_prefix.empty()
                                ? limits_.max_body_bytes
                                : std::max(limits_.max_body_bytes, limits_.max_upload_bytes));
        stream_.expires_after(limits_.request_timeout);
        // The head first: only then is it known which body limit applies.
        http::async_read_header(
            stream_, buffer_, *parser_,
            [self = shared_from_this()](error_code ec, std::size_t) { self->on_header(ec); });
    }

    void close() {
        error_code ignored;
        timer_.cancel();
        stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
        stream_.close();
    }

  private:
    void on_header(error_code ec) {
        if (ec) return on_read(ec);
        auto target = parser_->get().target();
        bool upload =
            !limits_.upload_prefix.empty() &&
            std::string_view(target.data(), target.size()).starts_with(limits_.upload_prefix);
        if (!upload) {
            auto length = parser_->content_length();
            if (length && *length > limits_.max_body_bytes) return on_read(http::error::body_limit);
            parser_->body_limit(limits_.max_body_bytes);  // for a chunked body
        }
        http::async_read(
            stream_, buffer_, *parser_,
            [self = shared_from_this()](error_code read, std::size_t) { self->on_read(read); });
    }

    void on_read(error_code ec) {
        if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
            ec == asio::error::connection_reset || ec == asio::error::eof ||
            ec == asio::error::operation_aborted)
            return close();
        if (ec == http::error::body_limit)
            return refuse(http::status::payload_too_large, "the request body is too large\n");
        if (ec == http::error::header_limit)
            return refuse(http::status::request_header_fields_too_large,
                          "the request header is too large\n");
        if (ec) return refuse(http::status::bad_request, "bad request: " + ec.message() + "\n");
        const auto& request = parser_->get();
        auto host = request[http::field::host];
        if (!server_.serves({host.data(), host.size()})) {
            response_ = http_response(request, http::status::misdirected_request, "text/plain",
                                      "this gateway does not answer as " +
                                          std::string(host.data(), host.size()) +
                                          ": use its address, or a name given with --http-host\n");
            response_.keep_alive(false);
            return write();
        }
        try {
            HttpAnswer answer = handler_(request, peer_);
            if (answer.events) return stream(std::move(answer));
            if (answer.later) return wait_for(answer.later, request.keep_alive());
            response_ = std::move(answer.response);
        } catch (const std::exception& e) {
            log_->error("request failed method={} target={:?} error={:?}",
                        std::string(request.method_string()), std::string(request.target()),
                        e.what());
            response_ = http_response(request, http::status::internal_server_error, "text/plain",
                                      "internal error\n");
        }
        response_.keep_alive(request.keep_alive());
        write();
    }

    // The reply may come from another thread: the response is written on
    // the connection's own.
    void wait_for(const std::function<void(HttpReply)>& later, bool keep_alive) {
        later([self = shared_from_this(), keep_alive](HttpResponse response) {
            auto executor = self->stream_.get_executor();
            asio::post(executor, [self, keep_alive, response = std::move(response)]() mutable {
                self->response_ = std::move(response);
                self->response_.keep_alive(keep_alive);
                self->write();
            });
        });
    }

    // Server-sent events: the head without a length, then one event per
    // period; the body ends when the connection does.
    void stream(HttpAnswer answer) {
        events_ = std::move(answer.events);
        period_ = answer.period;
        response_ = std::move(answer.response);
        response_.set(http::field::content_type, "text/event-stream");
        response_.set(http::field::cache_control, "no-store");
        response_.keep_alive(false);
        response_.body().clear();
        head_.emplace(response_);
        stream_.expires_after(limits_.request_timeout);
        http::async_write_header(stream_, *head_,
                                 [self = shared_from_this()](error_code ec, std::size_t) {
                                     if (ec) return self->close();
                                     self->send_event();
                                 });
    }

    void send_event() {
        std::optional<std::string> data;
        try {
            data = events_();
        } catch (const std::exception& e) {
            log_->error("event stream failed error={:?}", e.what());
        }
        if (!data) return close();
        event_ = "data: " + *data + "\n\n";
        stream_.expires_after(limits_.request_timeout);
        asio::async_write(stream_, asio::buffer(event_),
                          [self = shared_from_this()](error_code ec, std::size_t) {
                              if (ec) return self->close();
                              self->timer_.expires_after(self->period_);
                              self->timer_.async_wait([self](error_code waited) {
                                  if (waited) return self->close();
                                  self->send_event();
                              });
                          });
    }

    // The request could not be read whole: answer and close, since what
    // follows on the connection cannot be trusted to start a request.
    void refuse(http::status status, std::string why) {
        HttpRequest none;
        response_ = http_response(none, status, "text/plain", std::move(why));
        response_.keep_alive(false);
        write();
    }

    void write() {
        response_.prepare_payload();
        stream_.expires_after(limits_.request_timeout);
        http::async_write(stream_, response_,
                          [self = shared_from_this()](error_code ec, std::size_t) {
                              if (ec || !self->response_.keep_alive()) return self->close();
                              self->read();
                          });
    }

  private:
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    HttpResponse response_;
    std::optional<http::response_serializer<http::string_body>> head_;
    std::function<std::optional<std::string>()> events_;
    std::chrono::milliseconds period_{0};
    std::string event_;
    asio::steady_timer timer_{stream_.get_executor()};
    const HttpServer& server_;
    std::string peer_;
    const HttpHandler& handler_;
    std::shared_ptr<spdlog::logger> log_;
    const HttpLimits& limits_;
};

namespace {

bool same_name(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

HttpServer::HttpServer(asio::io_context& io, const std::string& host, std::uint16_t port,
                       HttpHandler handler, std::shared_ptr<spdlog::logger> log, HttpLimits limits,
                       std::vector<std::string> names)
    : acceptor_(io, asio::ip::tcp::endpoint(asio::ip::make_address(host), port)),
      handler_(std::move(handler)),
      log_(std::move(log)),
      limits_(std::move(limits)),
      addresses_{host, acceptor_.local_endpoint().address().to_string()},
      port_(":" + std::to_string(acceptor_.local_endpoint().port())),
      names_(std::move(names)),
      retry_(io) {}

bool HttpServer::serves(std::string_view host) const {
    if (host.empty()) return true;
    // "name", "name:port", "[v6]" or "[v6]:port"
    std::string_view name = host, port;
    if (host.front() == '[') {
        auto close = host.find(']');
        if (close == std::string_view::npos) return false;
        name = host.substr(1, close - 1);
        port = host.substr(close + 1);
    } else if (auto colon = host.rfind(':'); colon != std::string_view::npos) {
        name = host.substr(0, colon);
        port = host.substr(colon);
    }
    if (!port.empty() && (port.size() < 2 || port.front() != ':')) return false;
    for (const auto& given : names_)
        if (same_name(name, given)) return true;
    if (!port.empty() && port != port_) return false;
    return std::any_of(addresses_.begin(), addresses_.end(),
                       [&](const std::string& address) { return same_name(name, address); });
}

void HttpServer::start() {
    accept();
}

void HttpServer::stop() {
    error_code ignored;
    acceptor_.close(ignored);
    retry_.cancel();
    for (auto& weak : sessions_)
        if (auto session = weak.lock()) session->close();
    sessions_.clear();
}

void HttpServer::accept() {
    acceptor_.async_accept([this](error_code ec, asio::ip::tcp::socket socket) {
        // A closed listener ends the loop: stop() closed it, and accepting
        // on it again would fail at once, forever. A connection that came
        // in just before is dropped with it.
        if (ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor ||
            !acceptor_.is_open())
            return;
        if (ec) {
            if (auto left_out = accept_errors_.admit(LogThrottle::Clock::now()))
                log_->error("accept failed error={:?} repeats_not_logged={}", ec.message(),
                            *left_out);
            retry_.expires_after(std::chrono::milliseconds(100));
            retry_.async_wait([this](error_code waited) {
                if (!waited && acceptor_.is_open()) accept();
            });
            return;
        }
        sessions_.remove_if([](const auto& weak) { return weak.expired(); });
        auto session = std::make_shared<HttpSession>(std::move(socket), *this);
        sessions_.push_back(session);
        session->read();
        accept();
    });
}

HttpResponse http_response(const HttpRequest& request, http::status status,
                           const std::string& content_type, std::string body) {
    HttpResponse response{status, request.version() ? request.version() : 11};
    response.set(http::field::server, "fieldflow-gateway");
    response.set(http::field::content_type, content_type);
    response.set(http::field::cache_control, "no-store");
    response.body() = std::move(body);
    return response;
}

}  // namespace fieldflow::gateway
