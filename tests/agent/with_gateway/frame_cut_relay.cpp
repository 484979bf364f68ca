#include "agent/with_gateway/frame_cut_relay.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <thread>
#include <vector>

namespace fieldflow::test {

namespace {

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
    if (!send_all(to, frame.data(), frame.size())) throw std::runtime_error("the agent closed");
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
    }
    ::shutdown(agent, SHUT_RDWR);
    ::shutdown(gateway, SHUT_RDWR);
    upstream.join();
}

}  // namespace fieldflow::test
