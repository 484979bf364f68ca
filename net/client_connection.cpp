#include "net/client_connection.h"

#include "schemas/frame.h"

namespace fieldflow::wire {

namespace asio = boost::asio;
using boost::system::error_code;

Connection::Connection(const std::string& host, const std::string& port,
                       std::chrono::milliseconds timeout, const std::string& ca) {
    if (ca.empty() && !loopback(host))
        throw Untrusted("the gateway " + host +
                        " is not on this device: records go to it over TLS only (--ca FILE)");
    asio::ip::tcp::socket socket(io_);
    if (ca.empty()) {
        stream_.emplace(std::move(socket));
    } else {
        tls_.emplace(asio::ssl::context::tls_client);
        tls_->set_options(asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                          asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
        try {
            tls_->load_verify_file(ca);
        } catch (const boost::system::system_error& e) {
            throw Untrusted("cannot read the CA certificate " + ca + ": " + e.code().message());
        }
        tls_->set_verify_mode(asio::ssl::verify_peer);
        tls_->set_verify_callback(asio::ssl::host_name_verification(host));
        stream_.emplace(std::move(socket), *tls_);
        // Server Name Indication, for a gateway behind a TLS-routing proxy.
        SSL_set_tlsext_host_name(stream_->tls_stream()->native_handle(), host.c_str());
    }
    error_code resolve_error;
    asio::ip::tcp::resolver resolver(io_);
    auto endpoints = resolver.resolve(host, port, resolve_error);
    if (resolve_error)
        throw Disconnected("cannot resolve " + host + ": " + resolve_error.message());
    bool done = false;
    error_code result;
    asio::async_connect(stream_->socket(), endpoints, [&](error_code ec, const auto&) {
        result = ec;
        done = true;
    });
    run_until(done, timeout, "connect");
    if (result)
        throw Disconnected("cannot connect to " + host + ":" + port + ": " + result.message());
    stream_->socket().set_option(asio::ip::tcp::no_delay(true));
    if (!tls_) return;
    done = false;
    stream_->async_handshake(asio::ssl::stream_base::client, [&](error_code ec) {
        result = ec;
        done = true;
    });
    run_until(done, timeout, "TLS handshake");
    if (result.category() == asio::error::get_ssl_category())
        throw Untrusted("TLS with " + host + " failed: " + result.message());
    if (result) throw Disconnected("TLS handshake with " + host + " failed: " + result.message());
}

void Connection::run_until(bool& done, std::chrono::milliseconds timeout, const char* what) {
    io_.restart();
    io_.run_for(timeout);
    if (!done) {
        stream_->close();
        io_.restart();
        io_.run();  // lets the cancelled handler finish
        throw Disconnected(std::string(what) + " timed out");
    }
}

void Connection::send(capnp::MessageBuilder& message, std::chrono::milliseconds timeout) {
    auto words = encode(message);
    auto bytes = words.asBytes();
    bool done = false;
    error_code result;
    stream_->async_write(asio::buffer(bytes.begin(), bytes.size()),
                         [&](error_code ec, std::size_t) {
                             result = ec;
                             done = true;
                         });
    run_until(done, timeout, "send");
    if (result) throw Disconnected("send failed: " + result.message());
}

void Connection::read_exactly(void* into, std::size_t bytes, std::chrono::milliseconds timeout) {
    bool done = false;
    error_code result;
    stream_->async_read(asio::buffer(into, bytes), [&](error_code ec, std::size_t) {
        result = ec;
        done = true;
    });
    run_until(done, timeout, "receive");
    if (result)
        throw Disconnected(result == asio::error::eof ? "the gateway closed the connection"
                                                      : "receive failed: " + result.message());
}

FrameWords Connection::receive(std::size_t max_bytes, std::chrono::milliseconds timeout) {
    FrameWords frame;
    frame.resize(frame_prefix_words);
    std::size_t have = 0;
    for (;;) {
        read_exactly(frame.data() + have, (frame.size() - have) * sizeof(capnp::word), timeout);
        have = frame.size();
        std::size_t announced = announced_frame_words(kj::arrayPtr(frame.data(), have));
        if (announced * sizeof(capnp::word) > max_bytes)
            throw Disconnected("the gateway sent a frame of " +
                               std::to_string(announced * sizeof(capnp::word)) + " bytes");
        if (announced <= have) return frame;
        frame.resize(announced);
    }
}

}  // namespace fieldflow::wire
