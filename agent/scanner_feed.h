#pragma once
// The scan engine's codes while `serve` runs: one code per line from a
// serial device or a FIFO, as `scan --line --from` reads them. The path is
// opened for reading and writing: a FIFO then always has a writer (this
// process), so a scanning program that closes its end and opens it again
// for the next code is read on as if the FIFO were reopened, with no
// end-of-file spinning in between. A device that goes away (unplugged) is
// opened again after a pause.

#include <utility>  // before Asio: Boost 1.74 with g++ 12 in C++20 needs it
#include <boost/asio.hpp>

#include <spdlog/logger.h>

#include <functional>
#include <memory>
#include <string>

namespace fieldflow::agent {

class ScannerFeed {
  public:
    // `on_code` gets each line as read, its line end removed.
    ScannerFeed(boost::asio::io_context& io, std::string path,
                std::function<void(const std::string&)> on_code,
                std::shared_ptr<spdlog::logger> log);
    void start();
    void stop();

  private:
    void open();
    void read();
    void again();

    std::string path_;
    std::function<void(const std::string&)> on_code_;
    std::shared_ptr<spdlog::logger> log_;
    boost::asio::posix::stream_descriptor stream_;
    boost::asio::steady_timer timer_;
    boost::asio::streambuf buffer_;
    bool stopped_ = false;
};

}  // namespace fieldflow::agent
