#include "agent/with_gateway/frame_cut_relay.h"

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <sys/socket.h>

#include <stdexcept>
#include <thread>

#include "schemas/protocol.capnp.h"

namespace fieldflow::test {

namespace {

// One frame, read and passed on whole.
void pass_frame(int from, int to) {
    capnp::StreamFdMessageReader reader(from);
    capnp::MallocMessageBuilder frame;
    frame.setRoot(reader.getRoot<wire::ServerMessage>());
    auto words = capnp::messageToFlatArray(frame);
    auto bytes = words.asChars();
    if (!send_all(to, bytes.begin(), bytes.size())) throw std::runtime_error("the agent closed");
}

}  // namespace

FrameCutRelay::FrameCutRelay(std::uint16_t gateway_port, unsigned frames)
    : frames_(frames), relay_(gateway_port, [this](int agent, int gateway, std::size_t index) {
          relay(agent, gateway, index == 0);
      }) {}

void FrameCutRelay::relay(int agent, int gateway, bool cut) {
    std::thread upstream([&] { copy_stream(agent, gateway); });
    try {
        if (cut) {
            for (unsigned i = 0; i < frames_; ++i) pass_frame(gateway, agent);
            ++cut_;
        } else {
            copy_stream(gateway, agent);
        }
    } catch (const std::runtime_error&) {
    } catch (const kj::Exception&) {  // the gateway closed
    }
    ::shutdown(agent, SHUT_RDWR);
    ::shutdown(gateway, SHUT_RDWR);
    upstream.join();
}

}  // namespace fieldflow::test
