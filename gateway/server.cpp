#include "gateway/server.h"

#include <stdexcept>

namespace fieldflow::gateway {

namespace asio = boost::asio;

Server::Server(asio::io_context& io, Ingest& ingest, Metrics& metrics, const Options& options,
               std::shared_ptr<spdlog::logger> log)
    : acceptor_(io, asio::ip::tcp::endpoint(asio::ip::make_address(options.listen_host),
                                            options.listen_port)),
      ingest_(ingest),
      metrics_(metrics),
      options_(options),
      log_(std::move(log)) {
    if (options.tls_cert.empty()) return;
    tls_.emplace(asio::ssl::context::tls_server);
    tls_->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                      asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                      asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
    try {
        tls_->use_certificate_chain_file(options.tls_cert);
        tls_->use_private_key_file(options.tls_key, asio::ssl::context::pem);
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error("cannot use the TLS certificate " + options.tls_cert +
                                 " and key " + options.tls_key + ": " + e.code().message());
    }
}

void Server::start() {
    accepting_ = true;
    accept();
}

void Server::accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, asio::ip::tcp::socket socket) {
        if (ec == asio::error::operation_aborted) return;
        if (ec) {
            log_->error("accept failed error={:?}", ec.message());
        } else {
            sessions_.remove_if([](const auto& weak) { return weak.expired(); });
            if (sessions_.size() >= options_.max_connections) {
                // Refused before any byte is read: it costs the others nothing.
                // Said once at warn while it lasts, so that a storm of
                // connections does not become a storm of log lines.
                auto level = refusing_ ? spdlog::level::debug : spdlog::level::warn;
                log_->log(level, "refusing connections open={} max_connections={}",
                          sessions_.size(), options_.max_connections);
                refusing_ = true;
                metrics_.connection_refused();
                boost::system::error_code ignored;
                socket.close(ignored);
                return accept();
            }
            refusing_ = false;
            socket.set_option(asio::ip::tcp::no_delay(true));
            auto transport = tls_ ? wire::Transport(std::move(socket), *tls_)
                                  : wire::Transport(std::move(socket));
            auto session = std::make_shared<Session>(std::move(transport), ingest_, metrics_,
                                                     options_, log_, ++connections_);
            sessions_.push_back(session);
            session->serve_downlink(downlink_);
            session->start();
        }
        accept();
    });
}

void Server::stop() {
    accepting_ = false;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    for (auto& weak : sessions_)
        if (auto session = weak.lock()) session->drain();
    sessions_.clear();
}

}  // namespace fieldflow::gateway
