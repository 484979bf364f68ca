#pragma once
// What `serve` tells systemd (Type=notify): ready once the page's port
// listens, stopping on a signal. Without NOTIFY_SOCKET (started by hand,
// by a test) each call does nothing; a build without libsystemd has no
// calls to make.

#include <string>

namespace fieldflow::agent::service {

void ready(const std::string& status);
void stopping();

}  // namespace fieldflow::agent::service
