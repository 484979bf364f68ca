#include "agent/with_gateway/frame_cut_relay.h"

#include <arpa/inet.h>
#include <capnp/message.h>
#include <capnp/serialize.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <vector>

namespace fieldflow::test {

namespace {

sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

void copy(int from, int to) {
    char buffer[16384];
    for (;;) {
        auto n = ::read(from, buffer, sizeof buffer);
        if (n <= 0) break;
        for (ssize_t sent = 0; sent < n;) {
            auto w = ::send(to, buffer + sent, static_cast<std::size_t>(n - sent), MSG_NOSIGNAL);
            if (w <= 0) {
                ::shutdown(to, SHUT_WR);
                return;
            }
            sent += w;
        }
    }
    ::shutdown(to, SHUT_WR);
}

bool read_all(int fd, void* into, std::size_t size) {
    auto* at = static_cast<char*>(into);
    while (size > 0) {
        auto n = ::read(fd, at, size);
        if (n <= 0) return false;
        at += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

// One stream frame: its segment table says how long it is.
void pass_frame(int from, int to) {
    std::uint32_t count = 0;
    if (!read_all(from, &count, 4)) throw std::runtime_error("the gateway closed");
    std::vector<char> frame(4);
    std::memcpy(frame.data(), &count, 4);
    // count + 1 segment sizes, the table padded to a whole word.
    std::size_t rest = 4 * (count + 1) + (count % 2 == 1 ? 4 : 0);
    frame.resize(4 + rest);
    if (!read_all(from, frame.data() + 4, rest)) throw std::runtime_error("the gateway closed");
    std::size_t words = 0;
    for (std::uint32_t i = 0; i <= count; ++i) {
        std::uint32_t size = 0;
        std::memcpy(&size, frame.data() + 4 + 4 * i, 4);
        words += size;
    }
    auto head = frame.size();
    frame.resize(head + words * 8);
    if (!read_all(from, frame.data() + head, words * 8))
        throw std::runtime_error("the gateway closed");
    for (std::size_t sent = 0; sent < frame.size();) {
        auto w = ::send(to, frame.data() + sent, frame.size() - sent, MSG_NOSIGNAL);
        if (w <= 0) throw std::runtime_error("the agent closed");
        sent += static_cast<std::size_t>(w);
    }
}

}  // namespace

FrameCutRelay::FrameCutRelay(std::uint16_t gateway_port, unsigned frames)
    : gateway_port_(gateway_port), frames_(frames) {
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

FrameCutRelay::~FrameCutRelay() {
    ::shutdown(listener_, SHUT_RDWR);
    thread_.join();
    ::close(listener_);
}

void FrameCutRelay::serve() {
    for (bool first = true;; first = false) {
        int agent = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (agent < 0) return;
        relay(agent, first);
        ::close(agent);
    }
}

void FrameCutRelay::relay(int agent, bool cut) {
    int gateway = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    auto address = loopback(gateway_port_);
    if (::connect(gateway, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(gateway);
        return;
    }
    std::thread upstream([&] { copy(agent, gateway); });
    try {
        if (cut) {
            for (unsigned i = 0; i < frames_; ++i) pass_frame(gateway, agent);
            ++cut_;
        } else {
            copy(gateway, agent);
        }
    } catch (const std::runtime_error&) {
    }
    ::shutdown(agent, SHUT_RDWR);
    ::shutdown(gateway, SHUT_RDWR);
    upstream.join();
    ::close(gateway);
}

}  // namespace fieldflow::test
