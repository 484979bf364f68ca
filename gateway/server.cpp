#include "gateway/server.h"

#include <iostream>

namespace fieldflow::gateway {

namespace asio = boost::asio;

Server::Server(asio::io_context& io, Ingest& ingest, const Options& options)
    : acceptor_(io, asio::ip::tcp::endpoint(asio::ip::make_address(options.listen_host),
                                            options.listen_port)),
      ingest_(ingest),
      options_(options) {}

void Server::start() {
    accept();
}

void Server::accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, asio::ip::tcp::socket socket) {
        if (ec == asio::error::operation_aborted) return;
        if (ec) {
            std::cerr << "accept failed: " << ec.message() << '\n';
        } else {
            socket.set_option(asio::ip::tcp::no_delay(true));
            auto session = std::make_shared<Session>(std::move(socket), ingest_, options_);
            sessions_.remove_if([](const auto& weak) { return weak.expired(); });
            sessions_.push_back(session);
            session->start();
        }
        accept();
    });
}

void Server::stop() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    for (auto& weak : sessions_)
        if (auto session = weak.lock()) session->drain();
    sessions_.clear();
}

}  // namespace fieldflow::gateway
