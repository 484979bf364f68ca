#include "gateway/server.h"

#include "gateway/agent_ca.h"

#include <stdexcept>

namespace fieldflow::gateway {

namespace asio = boost::asio;

namespace {

// A server context with the certificate chain and key, or a runtime_error
// naming the files. OpenSSL refuses a key that does not match the
// certificate, so a half-renewed pair is caught here.
std::shared_ptr<asio::ssl::context> tls_context(const std::string& cert, const std::string& key) {
    auto tls = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
    tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                     asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                     asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
    try {
        tls->use_certificate_chain_file(cert);
        tls->use_private_key_file(key, asio::ssl::context::pem);
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error("cannot use the TLS certificate " + cert + " and key " + key +
                                 ": " + e.code().message());
    }
    return tls;
}

}  // namespace

Server::Server(asio::io_context& io, Ingest& ingest, Metrics& metrics, const Options& options,
               std::shared_ptr<spdlog::logger> log)
    : acceptor_(io, asio::ip::tcp::endpoint(asio::ip::make_address(options.listen_host),
                                            options.listen_port)),
      ingest_(ingest),
      metrics_(metrics),
      options_(options),
      log_(std::move(log)) {
    if (!options.tls_cert.empty()) tls_ = tls_context(options.tls_cert, options.tls_key);
    if (!options.agent_ca.empty()) check_chains_to(options.tls_cert, options.agent_ca);
}

void Server::reload_tls(const std::string& cert, const std::string& key) {
    if (!tls_) return;
    auto fresh = tls_context(cert, key);
    // Sessions already open keep the old context alive as long as they last.
    retired_tls_.push_back(tls_);
    tls_ = std::move(fresh);
    log_->info("tls certificate reloaded cert={} key={} contexts_held={}", cert, key,
               tls_contexts_held());
}

std::size_t Server::tls_contexts_held() {
    if (!tls_) return 0;
    std::erase_if(retired_tls_, [](const auto& weak) { return weak.expired(); });
    return 1 + retired_tls_.size();
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
            auto transport = tls_ ? wire::Transport(std::move(socket), tls_)
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
