#pragma once
// The sync options the suites against a gateway start from: the gateway (or
// a relay in front of it) at `address`, "host:port", tried again for
// `retry_for` at most, with what the sync says written to `out`.

#include <chrono>
#include <ostream>
#include <string>

#include "agent/sync.h"

namespace fieldflow::test {

inline agent::SyncOptions sync_to(const std::string& address, std::ostream& out,
                                  std::chrono::seconds retry_for = std::chrono::seconds(60)) {
    agent::SyncOptions options;
    auto colon = address.rfind(':');
    options.host = address.substr(0, colon);
    options.port = address.substr(colon + 1);
    options.retry_for = retry_for;
    options.out = &out;
    return options;
}

}  // namespace fieldflow::test
