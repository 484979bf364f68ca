// fieldflow-bench-hostile: clients that misbehave at a gateway for a while,
// each reconnecting as soon as the gateway closes it, so that the pressure
// lasts: connections that never say anything, connections that dribble a
// frame a byte a second, connections that send noise, and frames that
// announce a gigabyte. Prints how many connections of each kind the gateway
// saw and closed. Run beside `fieldflow loadgen` to show that the gateway's
// memory stays flat and honest devices still get their acks.
//   fieldflow-bench-hostile HOST:PORT SECONDS IDLE SLOW GARBAGE HUGE

#include <utility>
#include <boost/asio.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace asio = boost::asio;
using boost::system::error_code;
using tcp = asio::ip::tcp;

namespace {

enum class Kind { idle, slow, garbage, huge };
const char* const kind_names[] = {"silent", "one byte a second", "noise", "1 GB frame announced"};

struct Tally {
    std::array<unsigned long, 4> opened{}, closed_by_gateway{};
};

class Client : public std::enable_shared_from_this<Client> {
  public:
    Client(asio::io_context& io, tcp::endpoint gateway, Kind kind, Tally& tally,
           std::chrono::steady_clock::time_point until, unsigned seed)
        : io_(io),
          socket_(io),
          timer_(io),
          gateway_(gateway),
          kind_(kind),
          tally_(tally),
          until_(until),
          random_(seed) {}

    void start() {
        if (std::chrono::steady_clock::now() >= until_) return;
        socket_ = tcp::socket(io_);
        socket_.async_connect(gateway_, [self = shared_from_this()](error_code ec) {
            if (ec) return self->retry();
            ++self->tally_.opened[int(self->kind_)];
            self->sent_ = 0;
            self->watch();
            self->act();
        });
    }

  private:
    // Reads whatever the gateway answers until it closes the connection.
    void watch() {
        socket_.async_read_some(asio::buffer(sink_),
                                [self = shared_from_this()](error_code ec, std::size_t) {
                                    if (!ec) return self->watch();
                                    ++self->tally_.closed_by_gateway[int(self->kind_)];
                                    self->timer_.cancel();
                                    error_code ignored;
                                    self->socket_.close(ignored);
                                    self->retry();
                                });
    }

    void act() {
        switch (kind_) {
            case Kind::idle:
                return;
            case Kind::slow: {
                // A segment table announcing one segment of 64 words, a byte at a time.
                static const unsigned char prefix[8] = {0, 0, 0, 0, 64, 0, 0, 0};
                next_ = prefix[sent_ % 8];
                asio::async_write(socket_, asio::buffer(&next_, 1),
                                  [self = shared_from_this()](error_code ec, std::size_t) {
                                      if (ec) return;
                                      ++self->sent_;
                                      self->timer_.expires_after(std::chrono::seconds(1));
                                      self->timer_.async_wait([self](error_code waited) {
                                          if (!waited) self->act();
                                      });
                                  });
                return;
            }
            case Kind::garbage: {
                noise_.resize(4096);
                for (auto& b : noise_) b = static_cast<unsigned char>(random_());
                // A plausible segment table, so the gateway reads the body and parses it.
                noise_[0] = noise_[1] = noise_[2] = noise_[3] = 0;
                noise_[4] = 200;
                noise_[5] = noise_[6] = noise_[7] = 0;
                asio::async_write(socket_, asio::buffer(noise_), [](error_code, std::size_t) {});
                return;
            }
            case Kind::huge: {
                static const unsigned char prefix[8] = {0, 0, 0, 0, 0, 0, 0, 8};  // 2^27 words
                asio::async_write(socket_, asio::buffer(prefix, 8), [](error_code, std::size_t) {});
                return;
            }
        }
    }

    void retry() {
        timer_.expires_after(std::chrono::milliseconds(50));
        timer_.async_wait([self = shared_from_this()](error_code ec) {
            if (!ec) self->start();
        });
    }

    asio::io_context& io_;
    tcp::socket socket_;
    asio::steady_timer timer_;
    tcp::endpoint gateway_;
    Kind kind_;
    Tally& tally_;
    std::chrono::steady_clock::time_point until_;
    std::minstd_rand random_;
    std::array<char, 4096> sink_{};
    std::vector<unsigned char> noise_;
    unsigned char next_ = 0;
    unsigned sent_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 7) {
        std::fprintf(stderr,
                     "usage: fieldflow-bench-hostile HOST:PORT SECONDS IDLE SLOW GARBAGE HUGE\n");
        return 2;
    }
    std::string address = argv[1];
    auto colon = address.rfind(':');
    asio::io_context io;
    tcp::endpoint gateway(asio::ip::make_address(address.substr(0, colon)),
                          static_cast<unsigned short>(std::atoi(address.c_str() + colon + 1)));
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(std::atoi(argv[2]));
    Tally tally;
    std::vector<std::shared_ptr<Client>> clients;
    for (int kind = 0; kind < 4; ++kind)
        for (int i = 0; i < std::atoi(argv[3 + kind]); ++i)
            clients.push_back(std::make_shared<Client>(io, gateway, Kind(kind), tally, until,
                                                       unsigned(kind * 1000 + i)));
    for (auto& client : clients) client->start();
    // Clients still waiting for the gateway when time is up are let go.
    asio::steady_timer stop(io);
    stop.expires_at(until + std::chrono::seconds(1));
    stop.async_wait([&](error_code) { io.stop(); });
    io.run();
    for (int kind = 0; kind < 4; ++kind)
        std::printf("%s: %lu connections, %lu closed by the gateway\n", kind_names[kind],
                    tally.opened[kind], tally.closed_by_gateway[kind]);
    return 0;
}
