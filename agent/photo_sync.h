#pragma once
// Sending the kept photos, after the records, on the same connection: each
// in chunks from where the gateway says it holds up to, so a connection
// dropped in the middle of a photo costs only the chunk in flight. A photo
// leaves the handheld only once the gateway says it is committed; one it
// refuses (too large, not an image, a hash that does not match) is kept,
// marked refused, and not sent again.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <ostream>

#include "agent/outbox.h"
#include "net/client_connection.h"
#include "schemas/protocol.capnp.h"

namespace fieldflow::agent {

// What the welcome said of photos; max_bytes 0: the gateway takes none.
struct PhotoLimits {
    std::uint64_t max_bytes = 0;
    std::size_t chunk_bytes = 0;
};

PhotoLimits photo_limits(wire::Welcome::Reader welcome);

// Reads the gateway's next message and hands it to the callback; an error
// frame or an unreadable one throws as the sync's other reads do.
using ReceiveReply = std::function<void(const std::function<void(wire::ServerMessage::Reader)>&)>;

struct PhotosSent {
    std::uint64_t delivered = 0;
    std::uint64_t refused = 0;
};

// Sends every queued photo. Throws wire::Disconnected when the connection
// fails; what the gateway acknowledged until then stays acknowledged.
PhotosSent send_photos(wire::Connection& connection, Outbox& outbox, const PhotoLimits& limits,
                       const ReceiveReply& receive, std::chrono::milliseconds timeout,
                       std::ostream& out);

}  // namespace fieldflow::agent
