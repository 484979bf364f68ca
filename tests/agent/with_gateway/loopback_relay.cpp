#include "agent/with_gateway/loopback_relay.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace fieldflow::test {

namespace {

sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

}  // namespace

LoopbackRelay::LoopbackRelay(std::uint16_t gateway_port, Relay relay)
    : gateway_port_(gateway_port), relay_(std::move(relay)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    auto address = loopback(0);
    socklen_t size = sizeof address;
    if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
        ::listen(listener_, 4) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size) != 0)
        throw std::runtime_error("the relay cannot listen");
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
}

LoopbackRelay::~LoopbackRelay() {
    // Wakes the accept: the serving thread then ends.
    ::shutdown(listener_, SHUT_RDWR);
    thread_.join();
    ::close(listener_);
}

void LoopbackRelay::serve() {
    for (std::size_t index = 0;; ++index) {
        int agent = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (agent < 0) return;
        int gateway = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        auto address = loopback(gateway_port_);
        if (::connect(gateway, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0)
            relay_(agent, gateway, index);
        ::close(gateway);
        ::close(agent);
    }
}

bool send_all(int to, const char* data, std::size_t size) {
    for (std::size_t sent = 0; sent < size;) {
        auto w = ::send(to, data + sent, size - sent, MSG_NOSIGNAL);
        if (w <= 0) return false;
        sent += static_cast<std::size_t>(w);
    }
    return true;
}

void copy_stream(int from, int to) {
    char buffer[16384];
    for (;;) {
        auto n = ::read(from, buffer, sizeof buffer);
        if (n <= 0 || !send_all(to, buffer, static_cast<std::size_t>(n))) break;
    }
    ::shutdown(to, SHUT_WR);
}

}  // namespace fieldflow::test
