// The part of an agent's session that carries photos: each chunk is handed
// to the photo upload (gateway/photo_upload.h) and answered with a receipt
// once committed there. One chunk at a time per connection, so a session
// holds at most one chunk beside its frame.

#include <capnp/message.h>

#include "gateway/log_field.h"
#include "gateway/photo_upload.h"
#include "gateway/session.h"

namespace fieldflow::gateway {

namespace asio = boost::asio;

void Session::submit_photo_chunk(const wire::PhotoChunk::Reader& chunk) {
    if (options_.max_photo_bytes == 0)
        return fail(wire::ErrorCode::malformed_frame,
                    "a photo sent to a gateway that takes none (its welcome said so)");
    if (chunk.getBytes().size() > options_.photo_chunk_bytes)
        return fail(wire::ErrorCode::malformed_frame,
                    "a photo chunk of " + std::to_string(chunk.getBytes().size()) +
                        " bytes; the welcome allows " + std::to_string(options_.photo_chunk_bytes));
    PhotoChunk in;
    in.device = device_;
    in.sha256 = chunk.getSha256();
    in.total_bytes = chunk.getTotalBytes();
    in.offset = chunk.getOffset();
    auto bytes = chunk.getBytes();
    auto* begin = reinterpret_cast<const std::byte*>(bytes.begin());
    in.bytes.assign(begin, begin + bytes.size());
    in.max_photo_bytes = options_.max_photo_bytes;
    photo_pending_ = true;
    auto executor = socket_.get_executor();
    ingest_.photos().receive(
        std::move(in), [self = shared_from_this(), guard = asio::make_work_guard(executor),
                        executor](PhotoReceipt receipt) mutable {
            asio::post(executor,
                       [self, receipt = std::move(receipt)] { self->on_photo_done(receipt); });
        });
}

void Session::on_photo_done(const PhotoReceipt& receipt) {
    photo_pending_ = false;
    if (closed_ || failed_) return;
    if (!receipt.store_error.empty())
        return fail(wire::ErrorCode::store_unavailable,
                    "the store refused the photo chunk: " + receipt.store_error);
    capnp::MallocMessageBuilder reply;
    auto out = reply.initRoot<wire::ServerMessage>().initPhotoReceipt();
    out.setSha256(receipt.sha256);
    out.setHeldBytes(receipt.held_bytes);
    out.setCommitted(receipt.committed);
    if (!receipt.refused.empty()) {
        out.setRefused(receipt.refused);
        out.setDetail(receipt.detail);
    }
    // Written, then the next frame is read (on_written).
    send(reply, false);
}

}  // namespace fieldflow::gateway
