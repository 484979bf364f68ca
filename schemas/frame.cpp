#include "schemas/frame.h"

#include <cstring>

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

}  // namespace fieldflow::wire
