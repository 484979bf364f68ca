#include "support/http_client.h"

#include <utility>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>

namespace fieldflow::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

constexpr auto deadline = std::chrono::seconds(10);

void connect(beast::tcp_stream& stream, asio::io_context& io, const std::string& address) {
    auto colon = address.rfind(':');
    asio::ip::tcp::resolver resolver(io);
    stream.expires_after(deadline);
    stream.connect(resolver.resolve(address.substr(0, colon), address.substr(colon + 1)));
}

}  // namespace

HttpReply http_request(const std::string& address, const std::string& method,
                       const std::string& target, const std::string& body,
                       const HttpHeaders& headers) {
    asio::io_context io;
    beast::tcp_stream stream(io);
    connect(stream, io, address);
    http::request<http::string_body> request{http::string_to_verb(method), target, 11};
    request.set(http::field::host, address);
    request.set(http::field::connection, "close");
    for (const auto& [name, value] : headers) request.set(name, value);
    request.body() = body;
    request.prepare_payload();
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    HttpReply reply{static_cast<int>(response.result_int()),
                    std::string(response[http::field::content_type]),
                    std::string(response[http::field::set_cookie]),
                    response.body(),
                    {}};
    for (const auto& field : response)
        reply.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    return reply;
}

std::string HttpReply::header(std::string_view name) const {
    for (const auto& [key, value] : headers)
        if (beast::iequals(key, beast::string_view(name.data(), name.size()))) return value;
    return {};
}

struct HttpEventStream::Impl {
    asio::io_context io;
    asio::ip::tcp::socket socket{io};
    std::string buffer;
    bool eof = false;

    // Reads until `delimiter` is in the buffer; false on close or timeout.
    bool read_until(const std::string& delimiter, std::chrono::milliseconds timeout) {
        if (buffer.find(delimiter) != std::string::npos) return true;
        if (eof) return false;
        bool done = false;
        asio::async_read_until(socket, asio::dynamic_buffer(buffer), delimiter,
                               [&](boost::system::error_code ec, std::size_t) {
                                   done = true;
                                   if (ec && ec != asio::error::operation_aborted) eof = true;
                               });
        io.restart();
        io.run_for(timeout);
        if (!done) {
            socket.cancel();
            io.restart();
            io.run();
            return false;
        }
        return buffer.find(delimiter) != std::string::npos;
    }
};

HttpEventStream::HttpEventStream(const std::string& address, const std::string& target,
                                 const HttpHeaders& headers)
    : impl_(std::make_unique<Impl>()) {
    auto colon = address.rfind(':');
    asio::ip::tcp::resolver resolver(impl_->io);
    asio::connect(impl_->socket,
                  resolver.resolve(address.substr(0, colon), address.substr(colon + 1)));
    std::string request = "GET " + target + " HTTP/1.1\r\nHost: " + address + "\r\n";
    for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
    asio::write(impl_->socket, asio::buffer(request + "\r\n"));
    if (!impl_->read_until("\r\n\r\n", deadline)) return;
    // "HTTP/1.1 200 OK"
    status_ = std::stoi(impl_->buffer.substr(9, 3));
    impl_->buffer.erase(0, impl_->buffer.find("\r\n\r\n") + 4);
}

HttpEventStream::~HttpEventStream() = default;

std::optional<std::string> HttpEventStream::next(std::chrono::milliseconds timeout) {
    if (!impl_->read_until("\n\n", timeout)) return std::nullopt;
    auto end = impl_->buffer.find("\n\n");
    std::string event = impl_->buffer.substr(0, end);
    impl_->buffer.erase(0, end + 2);
    if (event.rfind("data: ", 0) == 0) event.erase(0, 6);
    return event;
}

bool HttpEventStream::closed(std::chrono::milliseconds timeout) {
    auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        impl_->buffer.clear();
        if (!impl_->read_until("\n\n", std::chrono::duration_cast<std::chrono::milliseconds>(
                                           until - std::chrono::steady_clock::now())))
            return impl_->eof;
    }
    return false;
}

std::string http_raw(const std::string& address, const std::string& bytes) {
    asio::io_context io;
    beast::tcp_stream stream(io);
    connect(stream, io, address);
    asio::write(stream, asio::buffer(bytes));
    std::string reply;
    char chunk[4096];
    boost::system::error_code ec;
    for (;;) {
        std::size_t n = stream.read_some(asio::buffer(chunk), ec);
        reply.append(chunk, n);
        if (ec) break;
    }
    return reply;
}

}  // namespace fieldflow::test
