#include "agent/with_gateway/cut_relay.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
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

bool send_all(int to, const char* data, std::size_t size) {
    for (std::size_t sent = 0; sent < size;) {
        auto w = ::send(to, data + sent, size - sent, MSG_NOSIGNAL);
        if (w <= 0) return false;
        sent += static_cast<std::size_t>(w);
    }
    return true;
}

}  // namespace

CutRelay::CutRelay(std::uint16_t gateway_port, std::uint64_t cut_after)
    : gateway_port_(gateway_port), cut_after_(cut_after) {
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

CutRelay::~CutRelay() {
    ::shutdown(listener_, SHUT_RDWR);
    thread_.join();
    ::close(listener_);
}

std::vector<std::uint64_t> CutRelay::upstream_bytes() {
    std::lock_guard lock(mutex_);
    return upstream_;
}

void CutRelay::serve() {
    for (std::size_t index = 0;; ++index) {
        int agent = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (agent < 0) return;
        {
            std::lock_guard lock(mutex_);
            upstream_.push_back(0);
        }
        if (index == 0)
            relay(agent, index, cut_after_);
        else if (open_)
            relay(agent, index, UINT64_MAX);
        ::close(agent);
    }
}

void CutRelay::relay(int agent, std::size_t index, std::uint64_t budget) {
    int gateway = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    auto address = loopback(gateway_port_);
    if (::connect(gateway, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(gateway);
        return;
    }
    std::thread up([&] {
        char buffer[16384];
        std::uint64_t left = budget;
        for (;;) {
            auto n = ::read(agent, buffer, sizeof buffer);
            if (n <= 0) break;
            auto pass = static_cast<std::size_t>(std::min<std::uint64_t>(left, std::uint64_t(n)));
            if (!send_all(gateway, buffer, pass)) break;
            left -= pass;
            {
                std::lock_guard lock(mutex_);
                upstream_[index] += pass;
            }
            if (left == 0) break;  // the network is gone, both ways
        }
        ::shutdown(gateway, SHUT_RDWR);
        ::shutdown(agent, SHUT_RDWR);
    });
    char buffer[16384];
    for (;;) {
        auto n = ::read(gateway, buffer, sizeof buffer);
        if (n <= 0 || !send_all(agent, buffer, static_cast<std::size_t>(n))) break;
    }
    ::shutdown(agent, SHUT_RDWR);
    ::shutdown(gateway, SHUT_RDWR);
    up.join();
    ::close(gateway);
}

}  // namespace fieldflow::test
