#include "agent/scanner_feed.h"

#include <fcntl.h>

#include <istream>

#include "agent/scan_command.h"

namespace fieldflow::agent {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

constexpr auto reopen_pause = std::chrono::seconds(2);

}  // namespace

ScannerFeed::ScannerFeed(asio::io_context& io, std::string path,
                         std::function<void(const std::string&)> on_code,
                         std::shared_ptr<spdlog::logger> log)
    : path_(std::move(path)),
      on_code_(std::move(on_code)),
      log_(std::move(log)),
      stream_(io),
      timer_(io),
      // A line longer than any barcode is cut off here rather than kept growing.
      buffer_(max_scan_line + 2) {}

void ScannerFeed::start() {
    open();
}

void ScannerFeed::stop() {
    stopped_ = true;
    error_code ignored;
    timer_.cancel();
    stream_.close(ignored);
}

void ScannerFeed::open() {
    int fd = ::open(path_.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        log_->warn("cannot open the scan engine path={:?}; trying again", path_);
        return again();
    }
    stream_.assign(fd);
    log_->info("reading the scan engine path={:?}", path_);
    read();
}

void ScannerFeed::read() {
    asio::async_read_until(stream_, buffer_, '\n', [this](error_code ec, std::size_t) {
        if (stopped_) return;
        if (ec == asio::error::not_found) {
            // No line end within the limit: not a barcode; dropped whole.
            log_->warn("dropped {} bytes from the scan engine with no line end: not a barcode",
                       buffer_.size());
            buffer_.consume(buffer_.size());
            return read();
        }
        if (ec) {
            log_->warn("the scan engine closed path={:?} error={:?}", path_, ec.message());
            return again();
        }
        std::istream in(&buffer_);
        std::string line;
        std::getline(in, line);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty()) on_code_(line);
        read();
    });
}

void ScannerFeed::again() {
    error_code ignored;
    stream_.close(ignored);
    buffer_.consume(buffer_.size());
    timer_.expires_after(reopen_pause);
    timer_.async_wait([this](error_code ec) {
        if (!ec && !stopped_) open();
    });
}

}  // namespace fieldflow::agent
