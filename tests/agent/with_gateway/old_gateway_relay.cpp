#include "agent/with_gateway/old_gateway_relay.h"

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <sys/socket.h>

#include <thread>

#include "schemas/protocol.capnp.h"

namespace fieldflow::test {

namespace {

void relay(int agent, int gateway) {
    std::thread upstream([&] { copy_stream(agent, gateway); });
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
        copy_stream(gateway, agent);
    } catch (const kj::Exception&) {
        ::shutdown(agent, SHUT_RDWR);
    }
    upstream.join();
}

}  // namespace

OldGatewayRelay::OldGatewayRelay(std::uint16_t gateway_port)
    : relay_(gateway_port, [](int agent, int gateway, std::size_t) { relay(agent, gateway); }) {}

}  // namespace fieldflow::test
