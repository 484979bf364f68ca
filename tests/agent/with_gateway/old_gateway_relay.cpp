#include "agent/with_gateway/old_gateway_relay.h"

#include <arpa/inet.h>
#include <capnp/message.h>
#include <capnp/serialize.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include "schemas/protocol.capnp.h"

namespace fieldflow::test {

namespace {

sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

// Copies until `from` ends, then ends `to`'s side of the stream.
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

}  // namespace

OldGatewayRelay::OldGatewayRelay(std::uint16_t gateway_port) : gateway_port_(gateway_port) {
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

OldGatewayRelay::~OldGatewayRelay() {
    // Wakes the accept: the serving thread then ends.
    ::shutdown(listener_, SHUT_RDWR);
    thread_.join();
    ::close(listener_);
}

void OldGatewayRelay::serve() {
    for (;;) {
        int agent = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (agent < 0) return;
        relay(agent);
        ::close(agent);
    }
}

void OldGatewayRelay::relay(int agent) {
    int gateway = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    auto address = loopback(gateway_port_);
    if (::connect(gateway, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(gateway);
        return;
    }
    std::thread upstream([&] { copy(agent, gateway); });
    try {
        // The welcome answers the hello, after the master data a hello may
        // ask for.
        for (bool welcomed = false; !welcomed;) {
            capnp::StreamFdMessageReader reader(gateway);
            capnp::MallocMessageBuilder reply;
            reply.setRoot(reader.getRoot<wire::ServerMessage>());
            auto message = reply.getRoot<wire::ServerMessage>();
            welcomed = !message.isDownlink();
            if (message.isWelcome()) message.getWelcome().setMaxFrameBytes(0);
            capnp::writeMessageToFd(agent, reply);
        }
        copy(gateway, agent);
    } catch (const kj::Exception&) {
        ::shutdown(agent, SHUT_RDWR);
    }
    upstream.join();
    ::close(gateway);
}

}  // namespace fieldflow::test
