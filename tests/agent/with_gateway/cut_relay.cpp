#include "agent/with_gateway/cut_relay.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

namespace fieldflow::test {

CutRelay::CutRelay(std::uint16_t gateway_port, std::uint64_t cut_after)
    : cut_after_(cut_after),
      relay_(gateway_port,
             [this](int agent, int gateway, std::size_t index) { relay(agent, gateway, index); }) {}

std::vector<std::uint64_t> CutRelay::upstream_bytes() {
    std::lock_guard lock(mutex_);
    return upstream_;
}

void CutRelay::relay(int agent, int gateway, std::size_t index) {
    {
        std::lock_guard lock(mutex_);
        upstream_.push_back(0);
    }
    if (index > 0 && !open_) return;
    std::uint64_t budget = index == 0 ? cut_after_ : UINT64_MAX;
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
}

}  // namespace fieldflow::test
