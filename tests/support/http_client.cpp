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
    return {static_cast<int>(response.result_int()),
            std::string(response[http::field::content_type]),
            std::string(response[http::field::set_cookie]), response.body()};
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
