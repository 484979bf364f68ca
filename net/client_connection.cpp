#include "net/client_connection.h"

#include "schemas/frame.h"

namespace fieldflow::wire {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

// A TLS record header: content type 20 to 23 (an alert or a handshake is
// what a TLS server answers a clear hello with), then version 3.x. As the
// start of a frame it would announce some 200,000 segments, which no
// gateway sends.
constexpr const char* tls_hint =
    "the gateway answered in TLS: it looks like a TLS gateway, which this agent reached in "
    "clear; give the CA certificate its certificate chains to with --ca FILE";

bool looks_like_tls_record(const void* bytes, std::size_t size) {
    const auto* b = static_cast<const unsigned char*>(bytes);
    return size >= 3 && b[0] >= 0x14 && b[0] <= 0x17 && b[1] == 0x03 && b[2] <= 0x04;
}

// True when the server at `endpoint` completes a TLS handshake. Asked only
// after a clear connection was closed unanswered, to tell a gateway that
// serves TLS from one that dropped us; the certificate is not checked, as
// nothing is sent over this connection.
bool serves_tls(const asio::ip::tcp::endpoint& endpoint, std::chrono::milliseconds timeout) {
    asio::io_context io;
    asio::ssl::context context(asio::ssl::context::tls_client);
    context.set_verify_mode(asio::ssl::verify_none);
    Transport probe(asio::ip::tcp::socket(io), context);
    bool tls = false;
    probe.socket().async_connect(endpoint, [&](error_code ec) {
        if (ec) return;
        probe.async_handshake(asio::ssl::stream_base::client, [&](error_code handshake) {
            tls = !handshake;
            probe.close();
        });
    });
    io.run_for(timeout);
    return tls;
}

}  // namespace

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
    endpoint_ = stream_->socket().remote_endpoint(result);
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
    std::size_t got = 0;
    stream_->async_read(asio::buffer(into, bytes), [&](error_code ec, std::size_t n) {
        result = ec;
        got = n;
        done = true;
    });
    run_until(done, timeout, "receive");
    const bool first_bytes = !heard_;
    heard_ = heard_ || got > 0;
    if (!tls_ && first_bytes && looks_like_tls_record(into, got)) throw Untrusted(tls_hint);
    if (result == asio::error::eof && !tls_ && first_bytes) {
        if (serves_tls(endpoint_, timeout)) throw Untrusted(tls_hint);
        throw Disconnected(
            "the gateway closed the connection without answering (if it is a TLS gateway, "
            "--ca FILE is needed)");
    }
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
