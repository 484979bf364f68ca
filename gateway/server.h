#pragma once
// Accepts agent connections and keeps track of their sessions so that a
// shutdown can let each finish the batch it has in flight.

#include <utility>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include <spdlog/logger.h>

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <vector>

#include "gateway/ingest.h"
#include "gateway/metrics.h"
#include "gateway/options.h"
#include "gateway/session.h"

namespace fieldflow::gateway {

class Server {
  public:
    // Throws std::system_error when the address or the TLS files are unusable.
    Server(boost::asio::io_context& io, Ingest& ingest, Metrics& metrics, const Options& options,
           std::shared_ptr<spdlog::logger> log);

    boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
    // Devices that ask get their master data from `downlink`. Before start().
    void serve_downlink(Downlink& downlink) { downlink_ = &downlink; }
    void start();
    // Stops accepting and drains every session.
    void stop();
    // Safe from any thread.
    bool accepting() const { return accepting_; }
    // Reads the TLS certificate and key (renewed files) for the connections
    // accepted from now on; those open keep theirs. Throws
    // std::runtime_error, keeping the old pair, when the new one is unusable.
    // Nothing to do without TLS. On the io thread.
    void reload_tls(const std::string& cert, const std::string& key);
    // TLS contexts still alive: the one in force and each retired one an
    // open session still uses (a session holds its own; see
    // wire::Transport). 0 without TLS. On the io thread.
    std::size_t tls_contexts_held();

  private:
    void accept();

    boost::asio::ip::tcp::acceptor acceptor_;
    std::shared_ptr<boost::asio::ssl::context> tls_;
    // Replaced by a reload: alive only while a session made with one lasts.
    std::vector<std::weak_ptr<boost::asio::ssl::context>> retired_tls_;
    Ingest& ingest_;
    Metrics& metrics_;
    const Options& options_;
    std::shared_ptr<spdlog::logger> log_;
    std::uint64_t connections_ = 0;  // accepted so far: the next session's number
    bool refusing_ = false;          // over max_connections since the last one accepted
    std::list<std::weak_ptr<Session>> sessions_;
    Downlink* downlink_ = nullptr;
    std::atomic<bool> accepting_ = false;
};

}  // namespace fieldflow::gateway
