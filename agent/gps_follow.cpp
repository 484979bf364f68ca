#include "agent/gps_follow.h"

#include <fcntl.h>

#include <istream>

#include "agent/gps_source.h"
#include "core/gpsd_json.h"
#include "core/nmea.h"
#include "program/command_line.h"

namespace fieldflow::agent {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

// A gpsd that went away or a receiver unplugged is tried again after this.
constexpr auto reconnect_pause = std::chrono::seconds(3);
// gpsd's reports and NMEA sentences are far shorter: a longer line is noise.
constexpr std::size_t max_line_bytes = std::size_t{64} * 1024;

}  // namespace

struct GpsFollow::Live {
    explicit Live(asio::io_context& io) : resolver(io), socket(io), device(io), timer(io) {}
    asio::ip::tcp::resolver resolver;
    asio::ip::tcp::socket socket;
    asio::posix::stream_descriptor device;
    asio::steady_timer timer;
    asio::streambuf buffer{max_line_bytes};
};

GpsFollow::GpsFollow(asio::io_context& io, GpsSource source, core::FixLimits limits,
                     std::shared_ptr<spdlog::logger> log)
    : source_(std::move(source)),
      limits_(limits),
      log_(std::move(log)),
      live_(std::make_unique<Live>(io)) {
    if (source_.replay) {
        tracker_ = replay_gps(*source_.replay).tracker;
        replayed_ = true;
    }
}

GpsFollow::~GpsFollow() = default;

void GpsFollow::start() {
    if (source_.gpsd) connect_gpsd();
    if (source_.device) open_device();
}

void GpsFollow::stop() {
    stopped_ = true;
    error_code ignored;
    live_->timer.cancel();
    live_->resolver.cancel();
    live_->socket.close(ignored);
    live_->device.close(ignored);
}

std::optional<CurrentFix> GpsFollow::current() const {
    auto fix = tracker_.latest();
    if (!fix) return std::nullopt;
    CurrentFix now{*fix, tracker_.assess(limits_), tracker_.fix_age_ms().value_or(0)};
    // A recording's fix is as old as the recording says; a live one ages
    // from when it came, so that a silent receiver's last fix goes stale.
    if (!replayed_ && received_) {
        auto since = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - *received_)
                         .count();
        now.age_ms = std::max(now.age_ms, static_cast<std::int64_t>(since));
        if (now.age_ms > limits_.max_age_ms && now.status != core::FixStatus::no_fix)
            now.status = core::FixStatus::stale_fix;
    }
    return now;
}

void GpsFollow::connect_gpsd() {
    // Resolved without blocking the io_context, which answers the page too.
    auto at = program::endpoint(*source_.gpsd, "--gpsd");
    live_->resolver.async_resolve(
        at.host, std::to_string(at.port),
        [this, host = at.host](error_code ec, const asio::ip::tcp::resolver::results_type& found) {
            if (stopped_) return;
            if (ec) {
                log_->warn("cannot resolve gpsd host={:?} error={:?}", host, ec.message());
                return again();
            }
            asio::async_connect(live_->socket, found, [this](error_code e, const auto&) {
                if (stopped_) return;
                if (e) {
                    log_->warn("cannot reach gpsd at={:?} error={:?}", *source_.gpsd, e.message());
                    return again();
                }
                static const std::string watch = "?WATCH={\"enable\":true,\"json\":true};\n";
                asio::async_write(live_->socket, asio::buffer(watch),
                                  [this](error_code w, std::size_t) {
                                      if (stopped_) return;
                                      if (w) return again();
                                      read_line();
                                  });
            });
        });
}

void GpsFollow::open_device() {
    int fd = ::open(source_.device->c_str(), O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        log_->warn("cannot open GPS receiver device={:?}", *source_.device);
        return again();
    }
    live_->device.assign(fd);
    read_line();
}

void GpsFollow::read_line() {
    auto on_line = [this](error_code ec, std::size_t) {
        if (stopped_) return;
        if (ec) {
            log_->warn("GPS source closed error={:?}", ec.message());
            return again();
        }
        std::istream in(&live_->buffer);
        std::string line;
        std::getline(in, line);
        take(line);
        read_line();
    };
    if (source_.gpsd)
        asio::async_read_until(live_->socket, live_->buffer, '\n', on_line);
    else
        asio::async_read_until(live_->device, live_->buffer, '\n', on_line);
}

void GpsFollow::take(const std::string& line) {
    auto before = tracker_.latest().has_value();
    if (source_.gpsd) {
        auto parsed = core::parse_gpsd_line(line);
        if (!parsed.tpv) return;  // VERSION, DEVICES, SKY, or not a report
        tracker_.feed(*parsed.tpv);
    } else {
        auto parsed = core::parse_nmea(line);
        if (!parsed.sentence) return;
        tracker_.feed(*parsed.sentence);
    }
    if (tracker_.latest() || before) received_ = std::chrono::steady_clock::now();
}

void GpsFollow::again() {
    error_code ignored;
    live_->socket.close(ignored);
    live_->device.close(ignored);
    live_->buffer.consume(live_->buffer.size());
    live_->timer.expires_after(reconnect_pause);
    live_->timer.async_wait([this](error_code ec) {
        if (ec || stopped_) return;
        if (source_.gpsd)
            connect_gpsd();
        else
            open_device();
    });
}

}  // namespace fieldflow::agent
