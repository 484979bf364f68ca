#include "agent/photo_sync.h"

#include <capnp/message.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace fieldflow::agent {

namespace {

using wire::Disconnected;

// A chunk's size when the gateway names none, and the most taken whatever
// it names: what one frame of the agent's own reads would hold.
constexpr std::size_t default_chunk_bytes = 64u << 10;
constexpr std::size_t most_chunk_bytes = 4u << 20;

std::string short_hash(const std::string& sha256) {
    return sha256.substr(0, 12);
}

void send_chunk(wire::Connection& connection, const std::string& sha256,
                const std::vector<char>& photo, std::uint64_t offset, std::size_t length,
                std::chrono::milliseconds timeout) {
    capnp::MallocMessageBuilder message;
    auto chunk = message.initRoot<wire::ClientMessage>().initPhotoChunk();
    chunk.setSha256(sha256);
    chunk.setTotalBytes(photo.size());
    chunk.setOffset(offset);
    chunk.setBytes(kj::arrayPtr(reinterpret_cast<const kj::byte*>(photo.data()) + offset, length));
    connection.send(message, timeout);
}

struct Receipt {
    std::uint64_t held = 0;
    bool committed = false;
    std::string refused, detail;
};

Receipt read_receipt(const ReceiveReply& receive, const std::string& sha256) {
    Receipt receipt;
    receive([&](wire::ServerMessage::Reader reply) {
        if (!reply.isPhotoReceipt())
            throw Disconnected("expected a photo receipt from the gateway");
        auto r = reply.getPhotoReceipt();
        if (r.getSha256() != sha256)
            throw Disconnected("the gateway answered for photo " + std::string(r.getSha256()) +
                               " where " + sha256 + " was sent");
        receipt = {r.getHeldBytes(), r.getCommitted(), r.getRefused(), r.getDetail()};
    });
    return receipt;
}

}  // namespace

PhotoLimits photo_limits(wire::Welcome::Reader welcome) {
    if (!welcome.hasPhotos()) return {};
    auto photos = welcome.getPhotos();
    std::size_t chunk = photos.getChunkBytes() ? photos.getChunkBytes() : default_chunk_bytes;
    return {photos.getMaxPhotoBytes(), std::min(chunk, most_chunk_bytes)};
}

PhotosSent send_photos(wire::Connection& connection, Outbox& outbox, const PhotoLimits& limits,
                       const ReceiveReply& receive, std::chrono::milliseconds timeout,
                       std::ostream& out) {
    PhotosSent sent;
    for (const auto& queued : outbox.queued_photos()) {
        auto kept = outbox.photo_bytes(queued);
        if (!kept) {
            // Nothing to send will ever be here again: said once, not retried.
            outbox.photo_refused(queued.sha256, "missing",
                                 "the handheld's copy " + queued.file.string() + " is gone");
            out << "photo " << short_hash(queued.sha256)
                << " cannot be sent: the handheld's copy is gone\n";
            ++sent.refused;
            continue;
        }
        const auto& photo = *kept;
        // An empty chunk at 0 asks how much of the photo the gateway holds.
        send_chunk(connection, queued.sha256, photo, 0, 0, timeout);
        bool asked = true;
        for (;;) {
            auto receipt = read_receipt(receive, queued.sha256);
            if (!receipt.refused.empty()) {
                outbox.photo_refused(queued.sha256, receipt.refused, receipt.detail);
                out << "photo " << short_hash(queued.sha256)
                    << " refused by the gateway: " << receipt.refused
                    << (receipt.detail.empty() ? "" : " (" + receipt.detail + ")")
                    << "; it stays on the handheld and is not sent again\n";
                ++sent.refused;
                break;
            }
            if (receipt.committed) {
                outbox.photo_delivered(queued.sha256);
                ++sent.delivered;
                break;
            }
            if (receipt.held >= photo.size())
                throw Disconnected("the gateway holds " + std::to_string(receipt.held) +
                                   " bytes of photo " + queued.sha256 + " of " +
                                   std::to_string(photo.size()) + " and has not committed it");
            if (asked && receipt.held > 0)
                out << "photo " << short_hash(queued.sha256) << ": resuming at byte "
                    << receipt.held << " of " << photo.size() << '\n';
            asked = false;
            auto length = std::min<std::size_t>(limits.chunk_bytes, photo.size() - receipt.held);
            send_chunk(connection, queued.sha256, photo, receipt.held, length, timeout);
        }
    }
    return sent;
}

}  // namespace fieldflow::agent
