#include "schemas/frame.h"

#include <algorithm>

#include <zlib.h>

#include <cstring>
#include <stdexcept>
#include <vector>

namespace fieldflow::wire {

capnp::ReaderOptions ReadLimits::reader_options() const {
    capnp::ReaderOptions options;
    options.traversalLimitInWords = max_frame_bytes / sizeof(capnp::word) + 1;
    options.nestingLimit = nesting_limit;
    return options;
}

std::size_t announced_frame_words(kj::ArrayPtr<const capnp::word> prefix) {
    return capnp::expectedSizeInWordsFromPrefix(prefix);
}

kj::Array<capnp::word> aligned_copy(std::span<const std::byte> bytes) {
    auto words =
        kj::heapArray<capnp::word>((bytes.size() + sizeof(capnp::word) - 1) / sizeof(capnp::word));
    if (!bytes.empty()) {
        std::memset(words.begin(), 0, words.size() * sizeof(capnp::word));
        std::memcpy(words.begin(), bytes.data(), bytes.size());
    }
    return words;
}

kj::Array<capnp::word> aligned_copy(kj::ArrayPtr<const kj::byte> bytes) {
    return aligned_copy(std::as_bytes(std::span(bytes.begin(), bytes.size())));
}

kj::Array<capnp::word> encode(capnp::MessageBuilder& message) {
    return capnp::messageToFlatArray(message);
}

kj::Array<kj::byte> deflate_bytes(kj::ArrayPtr<const kj::byte> bytes) {
    uLongf size = compressBound(bytes.size());
    auto out = kj::heapArray<kj::byte>(size);
    if (compress2(out.begin(), &size, bytes.begin(), bytes.size(), Z_DEFAULT_COMPRESSION) != Z_OK)
        throw std::runtime_error("deflate failed");
    return kj::heapArray<kj::byte>(out.begin(), size);
}

Inflated inflate_bytes(kj::ArrayPtr<const kj::byte> bytes, std::size_t max_bytes) {
    z_stream stream{};
    if (inflateInit(&stream) != Z_OK) return {{}, "inflate is unavailable"};
    std::vector<kj::byte> out;
    stream.next_in = const_cast<kj::byte*>(bytes.begin());
    stream.avail_in = static_cast<uInt>(bytes.size());
    int status = Z_OK;
    kj::byte chunk[16384];
    while (status == Z_OK) {
        stream.next_out = chunk;
        stream.avail_out = sizeof chunk;
        status = inflate(&stream, Z_NO_FLUSH);
        if (status != Z_OK && status != Z_STREAM_END) break;
        out.insert(out.end(), chunk, chunk + (sizeof chunk - stream.avail_out));
        if (out.size() > max_bytes) {
            inflateEnd(&stream);
            return {
                {}, "deflated batch inflates beyond " + std::to_string(max_bytes) + " bytes", true};
        }
        if (status == Z_OK && stream.avail_in == 0 && stream.avail_out != 0) break;  // truncated
    }
    std::string why = stream.msg ? std::string(": ") + stream.msg : std::string();
    inflateEnd(&stream);
    if (status != Z_STREAM_END) return {{}, "deflated batch is not a whole deflate stream" + why};
    return {aligned_copy(std::as_bytes(std::span(out.data(), out.size()))), {}};
}

void FrameWords::resize(std::size_t words) {
    if (words > words_.size()) {
        auto grown = kj::heapArray<capnp::word>(std::max(words, 2 * words_.size()));
        std::memset(grown.begin(), 0, grown.size() * sizeof(capnp::word));
        if (size_ > 0) std::memcpy(grown.begin(), words_.begin(), size_ * sizeof(capnp::word));
        words_ = kj::mv(grown);
    } else if (words > size_) {
        std::memset(words_.begin() + size_, 0, (words - size_) * sizeof(capnp::word));
    }
    size_ = words;
}

}  // namespace fieldflow::wire
