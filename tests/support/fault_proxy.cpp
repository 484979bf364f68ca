#include "support/fault_proxy.h"

#include <utility>
#include <boost/asio.hpp>

#include <chrono>
#include <random>
#include <thread>

namespace fieldflow::test {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

// Both directions of one relayed connection, with its fault.
class Link : public std::enable_shared_from_this<Link> {
  public:
    Link(tcp::socket client, asio::io_context& io, FaultProxy::Fault fault, std::uint64_t budget)
        : client_(std::move(client)), server_(io), timer_(io), fault_(fault), budget_(budget) {}

    void start(const tcp::endpoint& upstream) {
        server_.async_connect(upstream, [self = shared_from_this()](error_code ec) {
            if (ec) return self->close();
            self->pump(self->client_, self->server_, self->up_);
            self->pump(self->server_, self->client_, self->down_);
        });
    }

  private:
    using Buffer = std::array<char, 4096>;

    void pump(tcp::socket& from, tcp::socket& to, Buffer& buffer) {
        from.async_read_some(asio::buffer(buffer), [self = shared_from_this(), &from, &to, &buffer](
                                                       error_code ec, std::size_t n) {
            if (ec) return self->close();
            self->forward(from, to, buffer, n);
        });
    }

    void forward(tcp::socket& from, tcp::socket& to, Buffer& buffer, std::size_t n) {
        std::chrono::milliseconds wait{0};
        bool last = false;
        if ((fault_ == FaultProxy::drop || fault_ == FaultProxy::truncate) && n >= budget_) {
            // drop: close at a chunk boundary; truncate: send part of this chunk first.
            n = fault_ == FaultProxy::truncate ? budget_ : 0;
            last = true;
        }
        budget_ -= std::min<std::uint64_t>(budget_, n);
        if (fault_ == FaultProxy::delay) wait = std::chrono::milliseconds(budget_ % 40);
        if (fault_ == FaultProxy::stall && !stalled_) {
            stalled_ = true;
            wait = std::chrono::milliseconds(1000);
        }
        auto send = [self = shared_from_this(), &from, &to, &buffer, n, last] {
            asio::async_write(to, asio::buffer(buffer.data(), n),
                              [self, &from, &to, &buffer, last](error_code ec, std::size_t) {
                                  if (ec || last) return self->close();
                                  self->pump(from, to, buffer);
                              });
        };
        if (wait.count() == 0) return send();
        timer_.expires_after(wait);
        timer_.async_wait([send](error_code) { send(); });
    }

    void close() {
        error_code ignored;
        client_.close(ignored);
        server_.close(ignored);
        timer_.cancel();
    }

    tcp::socket client_, server_;
    asio::steady_timer timer_;
    Buffer up_{}, down_{};
    FaultProxy::Fault fault_;
    std::uint64_t budget_;  // bytes before a drop or a truncation
    bool stalled_ = false;
};

}  // namespace

struct FaultProxy::Impl {
    asio::io_context io;
    tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
    tcp::endpoint upstream;
    std::mt19937 random;
    unsigned next_fault = 0;
    std::thread thread;

    void accept(FaultProxy& proxy) {
        acceptor.async_accept([this, &proxy](error_code ec, tcp::socket client) {
            if (ec) return;
            // A random half of the connections relay cleanly; the others get
            // the faults in turn, so that every kind occurs in a short run.
            auto fault = random() % 2 ? clean : Fault(1 + next_fault++ % (fault_kinds - 1));
            ++proxy.counts_[fault];
            std::uint64_t budget = 20 + random() % 3000;
            std::make_shared<Link>(std::move(client), io, fault, budget)->start(upstream);
            accept(proxy);
        });
    }
};

FaultProxy::FaultProxy(const std::string& upstream, std::uint32_t seed)
    : impl_(std::make_unique<Impl>()) {
    auto colon = upstream.rfind(':');
    impl_->upstream =
        tcp::endpoint(asio::ip::make_address(upstream.substr(0, colon)),
                      static_cast<unsigned short>(std::stoi(upstream.substr(colon + 1))));
    impl_->random.seed(seed);
    address_ = "127.0.0.1:" + std::to_string(impl_->acceptor.local_endpoint().port());
    impl_->accept(*this);
    impl_->thread = std::thread([this] { impl_->io.run(); });
}

FaultProxy::~FaultProxy() {
    impl_->io.stop();
    impl_->thread.join();
}

}  // namespace fieldflow::test
