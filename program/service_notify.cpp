#include "program/service_notify.h"

#ifdef FIELDFLOW_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include <time.h>

namespace fieldflow::program::service {

namespace {

void notify([[maybe_unused]] const std::string& state) {
#ifdef FIELDFLOW_SYSTEMD
    sd_notify(0, state.c_str());
#endif
}

}  // namespace

void ready(const std::string& status) {
    notify("READY=1\nSTATUS=" + status);
}

void reloading() {
    // systemd 253 and later want the monotonic time with RELOADING=1; 252 ignores it.
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    auto usec = static_cast<long long>(now.tv_sec) * 1'000'000 + now.tv_nsec / 1000;
    notify("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec));
}

void stopping() {
    notify("STOPPING=1");
}

void watchdog() {
    notify("WATCHDOG=1");
}

std::optional<std::chrono::microseconds> watchdog_interval() {
#ifdef FIELDFLOW_SYSTEMD
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) return std::chrono::microseconds(usec);
#endif
    return std::nullopt;
}

}  // namespace fieldflow::program::service
