#pragma once
// A relay on loopback in front of a gateway that cuts its first connection
// once a given number of bytes has gone up to the gateway: a handheld that
// loses its network in the middle of a photo. Later connections are closed
// at once while the relay is shut, relayed whole once it is open. It counts
// the bytes each connection sent up. One connection at a time, on a thread
// of its own.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace fieldflow::test {

class CutRelay {
  public:
    CutRelay(std::uint16_t gateway_port, std::uint64_t cut_after);
    ~CutRelay();
    CutRelay(const CutRelay&) = delete;
    CutRelay& operator=(const CutRelay&) = delete;

    std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
    void open() { open_ = true; }
    // Bytes each connection relayed to the gateway, in the order they came.
    std::vector<std::uint64_t> upstream_bytes();

  private:
    void serve();
    void relay(int agent, std::size_t index, std::uint64_t budget);

    std::uint16_t gateway_port_;
    std::uint64_t cut_after_;
    std::atomic<bool> open_ = false;
    int listener_ = -1;
    std::uint16_t port_ = 0;
    std::mutex mutex_;
    std::vector<std::uint64_t> upstream_;
    std::thread thread_;
};

}  // namespace fieldflow::test
