#include "agent/ui_server.h"

#include <openssl/rand.h>

#include <boost/beast/core.hpp>

#include <algorithm>
#include <deque>
#include <nlohmann/json.hpp>

#include "agent/outbox.h"

namespace fieldflow::agent {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;

namespace {

// An event stream idle this long gets a comment line, so that a connection
// the page left behind is noticed and closed.
constexpr auto keep_alive_period = std::chrono::seconds(15);
// Events waiting for a slow stream, at most; beyond, the stream is closed
// and the page reconnects and reads the state afresh.
constexpr std::size_t max_queued_events = 256;

std::string random_token() {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        throw std::runtime_error("no random bytes for the token");
    static const char digits[] = "0123456789abcdef";
    std::string token;
    for (auto b : bytes) {
        token += digits[b >> 4];
        token += digits[b & 15];
    }
    return token;
}

}  // namespace

class UiSession : public std::enable_shared_from_this<UiSession> {
  public:
    UiSession(asio::ip::tcp::socket socket, UiServer& server)
        : stream_(std::move(socket)), server_(server), timer_(stream_.get_executor()) {}

    void read() {
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(server_.limits_.max_header_bytes));
        parser_->body_limit(server_.limits_.max_body_bytes);
        stream_.expires_after(server_.limits_.request_timeout);
        http::async_read(
            stream_, buffer_, *parser_,
            [self = shared_from_this()](error_code ec, std::size_t) { self->on_read(ec); });
    }

    void close() {
        error_code ignored;
        timer_.cancel();
        stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
        stream_.close();
    }

    bool streaming() const { return streaming_; }

    void push(std::string event) {
        if (!streaming_) return;
        if (queue_.size() >= max_queued_events) return close();
        queue_.push_back(std::move(event));
        if (!writing_) write_event();
    }

  private:
    void on_read(error_code ec) {
        if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
            ec == asio::error::connection_reset || ec == asio::error::eof ||
            ec == asio::error::operation_aborted)
            return close();
        if (ec == http::error::body_limit)
            return refuse(http::status::payload_too_large, "too_large", "请求内容太大",
                          "the request body is too large");
        if (ec == http::error::header_limit)
            return refuse(http::status::request_header_fields_too_large, "header_too_large",
                          "请求头太大", "the request header is too large");
        if (ec)
            return refuse(http::status::bad_request, "bad_request", "请求无法读取",
                          "bad request: " + ec.message());
        const auto& request = parser_->get();
        auto host = request[http::field::host];
        if (!server_.serves({host.data(), host.size()})) {
            response_ = api_error(request, http::status::misdirected_request, "wrong_host",
                                  "此地址不为本机应用服务",
                                  "this handheld answers only as " + server_.host_ + server_.port_);
            response_.keep_alive(false);
            return write();
        }
        if (request.method() == http::verb::post &&
            request["X-Fieldflow-Token"] != server_.token_) {
            response_ = api_error(request, http::status::forbidden, "token",
                                  "缺少或错误的令牌：请重新打开页面",
                                  "missing or wrong X-Fieldflow-Token: reload the page");
            response_.keep_alive(request.keep_alive());
            return write();
        }
        if (request.method() == http::verb::get && request.target() == "/api/events")
            return start_events(request);
        try {
            if (server_.deferral_ &&
                server_.deferral_(request, [self = shared_from_this(),
                                            keep = request.keep_alive()](UiResponse response) {
                    self->response_ = std::move(response);
                    self->response_.keep_alive(keep);
                    self->write();
                }))
                return;
            response_ = server_.handler_(request);
        } catch (const std::exception& e) {
            server_.log_->error("request failed method={} target={:?} error={:?}",
                                std::string(request.method_string()), std::string(request.target()),
                                e.what());
            response_ = api_error(request, http::status::internal_server_error, "internal",
                                  "内部错误", std::string("internal error: ") + e.what());
        }
        response_.keep_alive(request.keep_alive());
        write();
    }

    void start_events(const UiRequest& request) {
        std::size_t open = 0;
        for (auto& weak : server_.sessions_)
            if (auto s = weak.lock(); s && s->streaming()) ++open;
        if (open >= server_.limits_.max_event_streams) {
            response_ = api_error(request, http::status::too_many_requests, "too_many_streams",
                                  "事件连接太多", "too many event streams are open");
            response_.keep_alive(false);
            return write();
        }
        response_ = UiResponse{http::status::ok, request.version()};
        response_.set(http::field::content_type, "text/event-stream");
        response_.set(http::field::cache_control, "no-store");
        response_.keep_alive(false);
        head_.emplace(response_);
        streaming_ = true;
        writing_ = true;
        if (server_.first_event_) queue_.push_back(server_.first_event_());
        stream_.expires_never();
        http::async_write_header(stream_, *head_,
                                 [self = shared_from_this()](error_code ec, std::size_t) {
                                     if (ec) return self->close();
                                     self->writing_ = false;
                                     self->write_event();
                                 });
    }

    void write_event() {
        if (queue_.empty()) {
            timer_.expires_after(keep_alive_period);
            timer_.async_wait([self = shared_from_this()](error_code ec) {
                if (ec || self->writing_) return;
                self->queue_.push_back(": still here\n\n");
                self->write_event();
            });
            return;
        }
        writing_ = true;
        timer_.cancel();
        event_ = std::move(queue_.front());
        queue_.pop_front();
        stream_.expires_after(server_.limits_.request_timeout);
        asio::async_write(stream_, asio::buffer(event_),
                          [self = shared_from_this()](error_code ec, std::size_t) {
                              self->writing_ = false;
                              if (ec) return self->close();
                              self->write_event();
                          });
    }

    // The request could not be read whole: answered, and the connection
    // closed, since what follows on it cannot be trusted to start a request.
    void refuse(http::status status, const std::string& code, const std::string& zh,
                const std::string& en) {
        UiRequest none;
        none.version(11);
        response_ = api_error(none, status, code, zh, en);
        response_.keep_alive(false);
        write();
    }

    void write() {
        response_.prepare_payload();
        stream_.expires_after(server_.limits_.request_timeout);
        http::async_write(stream_, response_,
                          [self = shared_from_this()](error_code ec, std::size_t) {
                              if (ec || !self->response_.keep_alive()) return self->close();
                              self->read();
                          });
    }

    beast::tcp_stream stream_;
    UiServer& server_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    UiResponse response_;
    std::optional<http::response_serializer<http::string_body>> head_;
    asio::steady_timer timer_;
    bool streaming_ = false;
    bool writing_ = false;
    std::deque<std::string> queue_;
    std::string event_;
};

namespace {

asio::ip::address loopback_address(const std::string& host) {
    error_code ec;
    auto address = asio::ip::make_address(host, ec);
    if (ec || !address.is_loopback())
        throw Refused("--ui " + host +
                      " is not a loopback address: the handheld's page is served on 127.0.0.1 "
                      "(or ::1) only, so that nothing else on a network can reach its API");
    return address;
}

}  // namespace

UiServer::UiServer(asio::io_context& io, const std::string& host, std::uint16_t port,
                   UiHandler handler, std::shared_ptr<spdlog::logger> log, UiLimits limits)
    : acceptor_(io, asio::ip::tcp::endpoint(loopback_address(host), port)),
      handler_(std::move(handler)),
      log_(std::move(log)),
      limits_(limits),
      token_(random_token()) {
    auto bound = acceptor_.local_endpoint();
    host_ = bound.address().is_v6() ? "[" + bound.address().to_string() + "]"
                                    : bound.address().to_string();
    port_ = ":" + std::to_string(bound.port());
}

bool UiServer::serves(std::string_view host) const {
    // A browser always sends Host, and with the port unless it is 80.
    return host == host_ + port_ || (port_ == ":80" && host == host_);
}

void UiServer::start() {
    accept();
}

void UiServer::stop() {
    error_code ignored;
    acceptor_.close(ignored);
    for (auto& weak : sessions_)
        if (auto session = weak.lock()) session->close();
    sessions_.clear();
}

void UiServer::publish(const std::string& name, const std::string& data) {
    auto event = "event: " + name + "\ndata: " + data + "\n\n";
    for (auto& weak : sessions_)
        if (auto session = weak.lock()) session->push(event);
}

void UiServer::accept() {
    acceptor_.async_accept([this](error_code ec, asio::ip::tcp::socket socket) {
        if (!acceptor_.is_open()) return;
        if (ec) {
            log_->warn("accept failed error={:?}", ec.message());
            return accept();
        }
        sessions_.remove_if([](const auto& weak) { return weak.expired(); });
        auto session = std::make_shared<UiSession>(std::move(socket), *this);
        sessions_.push_back(session);
        session->read();
        accept();
    });
}

UiResponse json_response(const UiRequest& request, http::status status, std::string body) {
    UiResponse response{status, request.version() ? request.version() : 11};
    response.set(http::field::server, "fieldflow-agent");
    response.set(http::field::content_type, "application/json; charset=utf-8");
    response.set(http::field::cache_control, "no-store");
    response.body() = std::move(body);
    return response;
}

UiResponse api_error(const UiRequest& request, http::status status, const std::string& code,
                     const std::string& message_zh, const std::string& message_en,
                     const std::string& extra_json) {
    auto body = extra_json.empty() ? nlohmann::json::object() : nlohmann::json::parse(extra_json);
    body["error"] = code;
    body["message"] = message_zh;
    body["message_en"] = message_en;
    return json_response(request, status, body.dump());
}

}  // namespace fieldflow::agent
