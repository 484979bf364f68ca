#pragma once
// One TCP connection of the protocol, in clear or inside TLS (OpenSSL,
// through Asio's SSL stream), for both ends: the gateway's sessions and the
// agent's client read and write frames the same way either way.

#include <utility>  // before Asio: Boost 1.74 with g++ 12 in C++20 needs it
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include <string_view>
#include <memory>
#include <variant>

namespace fieldflow::wire {

class Transport {
  public:
    using Socket = boost::asio::ip::tcp::socket;
    using Tls = boost::asio::ssl::stream<Socket>;

    explicit Transport(Socket socket) : stream_(std::in_place_type<Socket>, std::move(socket)) {}
    Transport(Socket socket, boost::asio::ssl::context& tls)
        : stream_(std::in_place_type<Tls>, std::move(socket), tls) {}
    // Over TLS, keeping `tls` alive while the connection lasts: a server
    // that loads a renewed certificate lets the old context go once the
    // last connection made with it has closed.
    Transport(Socket socket, std::shared_ptr<boost::asio::ssl::context> tls)
        : context_(std::move(tls)),
          stream_(std::in_place_type<Tls>, std::move(socket), *context_) {}

    bool tls() const { return std::holds_alternative<Tls>(stream_); }
    Tls* tls_stream() { return std::get_if<Tls>(&stream_); }
    Socket& socket() {
        if (auto* t = tls_stream()) return t->next_layer();
        return std::get<Socket>(stream_);
    }
    auto get_executor() { return socket().get_executor(); }

    template <class Buffers, class Handler>
    void async_read(const Buffers& buffers, Handler&& handler) {
        std::visit(
            [&](auto& s) { boost::asio::async_read(s, buffers, std::forward<Handler>(handler)); },
            stream_);
    }
    template <class Buffers, class Handler>
    void async_write(const Buffers& buffers, Handler&& handler) {
        std::visit(
            [&](auto& s) { boost::asio::async_write(s, buffers, std::forward<Handler>(handler)); },
            stream_);
    }
    // The TLS handshake; in clear, `handler` runs at once with no error.
    template <class Handler>
    void async_handshake(boost::asio::ssl::stream_base::handshake_type side, Handler&& handler) {
        if (auto* t = tls_stream()) return t->async_handshake(side, std::forward<Handler>(handler));
        boost::asio::post(get_executor(), [h = std::forward<Handler>(handler)]() mutable {
            h(boost::system::error_code());
        });
    }
    void close() {
        boost::system::error_code ignored;
        socket().shutdown(Socket::shutdown_both, ignored);
        socket().close(ignored);
    }

  private:
    std::shared_ptr<boost::asio::ssl::context> context_;  // before the stream it outlives
    std::variant<Socket, Tls> stream_;
};

// Loopback addresses, where the protocol may run in clear.
inline bool loopback(std::string_view host) {
    if (host == "localhost" || host == "::1") return true;
    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(std::string(host), ec);
    return !ec && address.is_loopback();
}

}  // namespace fieldflow::wire
