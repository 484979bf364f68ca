#pragma once
// Uploading the outbox: batches in sequence order, each deleted only once the
// gateway has acked it; exponential backoff with full jitter while the
// gateway is away.

#include <spdlog/logger.h>

#include <chrono>
#include <cstddef>
#include <iostream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "agent/outbox.h"

namespace fieldflow::agent {

struct SyncOptions {
    std::string host;
    std::string port;
    // Further gateways on the same store: when the one in use fails
    // (refused, timed out, dropped, or its certificate does not verify) the
    // next is tried at once, in order after host:port, wrapping around;
    // the backoff pauses only once every one failed in turn.
    struct Gateway {
        std::string host, port;
    };
    std::vector<Gateway> more_gateways;
    std::size_t batch = 500;
    std::chrono::seconds retry_for{600};
    std::string agent_version = "0.1.0";
    std::string
        ca;  // CA certificate (PEM) the gateway's must chain to; empty: in clear, loopback only
    // The rep's answer: progress, verdicts, what is still queued.
    std::ostream* out = &std::cout;
    // Retries and connection failures; none logged when null.
    std::shared_ptr<spdlog::logger> log;
};

// Exit codes: 0 when the outbox is empty, 75 when the gateway stayed
// unreachable for `retry_for`. Throws Refused when the gateway refuses for
// good (another protocol version).
int sync(Outbox& outbox, const SyncOptions& options);

}  // namespace fieldflow::agent
