#pragma once
// What a program run as a systemd service (Type=notify) tells it: the
// gateway is ready once it listens, reloading and ready again around a
// SIGHUP, stopping, and pings the watchdog; the agent's serve is ready once
// its page listens, and stopping. Without NOTIFY_SOCKET (started by hand, by a test) each call does
// nothing; a build without libsystemd has no calls to make at all.

#include <chrono>
#include <optional>
#include <string>

namespace fieldflow::program::service {

void ready(const std::string& status);
void reloading();
void stopping();
void watchdog();
// How often systemd wants the watchdog's ping (WatchdogSec=), when it does.
std::optional<std::chrono::microseconds> watchdog_interval();

}  // namespace fieldflow::program::service
