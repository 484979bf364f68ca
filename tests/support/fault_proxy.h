#pragma once
// A TCP proxy on loopback that puts a fault on each connection it relays,
// on a random half of them (a seeded generator, so that a failing run can
// be replayed), the faults in turn: it drops the connection after a random number of bytes, cuts a
// chunk short and closes (a frame truncated mid-way), delays every chunk,
// stalls for a second, or relays cleanly. Runs on a thread of its own.

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace fieldflow::test {

class FaultProxy {
  public:
    enum Fault { clean, drop, truncate, delay, stall, fault_kinds };

    // Relays to `upstream` ("HOST:PORT").
    FaultProxy(const std::string& upstream, std::uint32_t seed);
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    const std::string& address() const { return address_; }
    // Connections that got each fault so far.
    std::uint64_t count(Fault fault) const { return counts_[fault]; }

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::string address_;
    std::array<std::atomic<std::uint64_t>, fault_kinds> counts_{};
};

}  // namespace fieldflow::test
