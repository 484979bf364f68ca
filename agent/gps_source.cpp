#include "agent/gps_source.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <fstream>
#include <utility>
#include <boost/asio.hpp>

#include "agent/outbox.h"

namespace fieldflow::agent {

namespace {

constexpr std::size_t max_bytes = 1 << 20;

void take(GpsReading& reading, const std::string& line) {
    auto parsed = core::parse_nmea(line);
    if (!parsed.sentence) {
        ++reading.rejected;
        return;
    }
    ++reading.sentences;
    reading.tracker.feed(*parsed.sentence);
}

std::int64_t device_now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

GpsReading replay_gps(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Refused("cannot open GPS recording " + path);
    GpsReading reading;
    std::string line;
    std::size_t bytes = 0;
    while (bytes < max_bytes && std::getline(in, line)) {
        bytes += line.size() + 1;
        take(reading, line);
    }
    return reading;
}

GpsReading read_gps_device(const std::string& path, std::chrono::milliseconds wait,
                           const core::FixLimits& limits) {
    int fd = ::open(path.c_str(), O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw Refused("cannot open GPS receiver " + path);
    GpsReading reading;
    auto deadline = std::chrono::steady_clock::now() + wait;
    std::string pending;
    std::size_t bytes = 0;
    while (bytes < max_bytes) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
        char chunk[512];
        auto n = ::read(fd, chunk, sizeof chunk);
        if (n <= 0) break;
        bytes += static_cast<std::size_t>(n);
        pending.append(chunk, static_cast<std::size_t>(n));
        for (auto newline = pending.find('\n'); newline != std::string::npos;
             newline = pending.find('\n')) {
            take(reading, pending.substr(0, newline));
            pending.erase(0, newline + 1);
            if (auto gps_now = reading.tracker.now_ms())
                reading.clock_skew_ms = device_now_ms() - *gps_now;
        }
        if (pending.size() > 4096) pending.clear();  // no line is that long: noise
        if (reading.tracker.assess(limits) == core::FixStatus::ok) break;
    }
    ::close(fd);
    return reading;
}

GpsReading read_gpsd(const std::string& host, const std::string& port,
                     std::chrono::milliseconds wait, const core::FixLimits& limits) {
    namespace asio = boost::asio;
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    GpsReading reading;
    auto deadline = std::chrono::steady_clock::now() + wait;
    // Runs until `done` or the deadline, as the sync client does.
    auto run_until = [&](bool& done) {
        io.restart();
        io.run_until(deadline);
        if (!done) {
            boost::system::error_code ignored;
            socket.close(ignored);
            io.restart();
            io.run();
        }
        return done;
    };
    boost::system::error_code ec;
    auto endpoints = asio::ip::tcp::resolver(io).resolve(host, port, ec);
    if (ec) throw Refused("cannot resolve gpsd host " + host + ": " + ec.message());
    bool connected = false;
    asio::async_connect(socket, endpoints, [&](boost::system::error_code e, const auto&) {
        ec = e;
        connected = true;
    });
    if (!run_until(connected) || ec) throw Refused("cannot reach gpsd at " + host + ":" + port);
    static const std::string watch = "?WATCH={\"enable\":true,\"json\":true};\n";
    asio::write(socket, asio::buffer(watch), ec);
    if (ec) throw Refused("gpsd closed the connection: " + ec.message());

    asio::streambuf buffer(std::size_t{64} * 1024);  // a report longer than this is not one
    while (reading.sentences + reading.rejected < 10'000) {
        bool got = false;
        asio::async_read_until(socket, buffer, '\n', [&](boost::system::error_code e, std::size_t) {
            ec = e;
            got = true;
        });
        if (!run_until(got) || ec) break;
        std::istream in(&buffer);
        std::string line;
        std::getline(in, line);
        auto parsed = core::parse_gpsd_line(line);
        if (!parsed.error.empty()) {
            ++reading.rejected;
            continue;
        }
        if (!parsed.tpv) continue;  // VERSION, DEVICES, WATCH, SKY...
        ++reading.sentences;
        reading.tracker.feed(*parsed.tpv);
        if (parsed.tpv->time_ms) reading.clock_skew_ms = device_now_ms() - *parsed.tpv->time_ms;
        if (reading.tracker.assess(limits) == core::FixStatus::ok) break;
    }
    return reading;
}

}  // namespace fieldflow::agent
