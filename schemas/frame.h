#pragma once
// Framing shared by agent and gateway. A frame is one Cap'n Proto message in
// the standard stream encoding (segment table, then segments), which is
// self-delimiting: the reader learns the frame's length from its first words
// and can refuse an oversized frame before reading its body.

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <kj/array.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace fieldflow::wire {

struct ReadLimits {
    std::size_t max_frame_bytes = 8u << 20;
    // Cap'n Proto's default (64) is generous; our deepest message is
    // ServerMessage > Ack > List(RecordResult) > RecordResult > List(Reason) > Reason.
    int nesting_limit = 16;

    // The traversal limit equals the frame size: a well-formed message never
    // needs to read a word twice, so anything beyond that is an amplification attack.
    capnp::ReaderOptions reader_options() const;
};

// Words needed before a frame's announced size can be known (the first
// segment-table word); frames are read in at least this much.
inline constexpr std::size_t frame_prefix_words = 1;

// The frame's total size in words as announced by `prefix`, or a lower bound
// larger than `prefix` when more of the segment table is needed first.
std::size_t announced_frame_words(kj::ArrayPtr<const capnp::word> prefix);

// Copies bytes into word-aligned storage, as FlatArrayMessageReader requires.
kj::Array<capnp::word> aligned_copy(std::span<const std::byte> bytes);
kj::Array<capnp::word> aligned_copy(kj::ArrayPtr<const kj::byte> bytes);

// The message as one frame.
kj::Array<capnp::word> encode(capnp::MessageBuilder& message);

inline std::span<const std::byte> as_bytes(kj::ArrayPtr<const capnp::word> words) {
    return std::as_bytes(std::span(words.begin(), words.size()));
}

// Deflate (zlib format) for `deflatedBatch`.
kj::Array<kj::byte> deflate_bytes(kj::ArrayPtr<const kj::byte> bytes);

struct Inflated {
    kj::Array<capnp::word> words;  // word-aligned, ready for FlatArrayMessageReader
    std::string error;             // set when there are no words
    bool too_large = false;        // the error is that it inflates beyond the limit
};
// Inflates at most `max_bytes`: a small frame that would inflate to gigabytes
// is refused once it passes the limit, before it is all in memory.
Inflated inflate_bytes(kj::ArrayPtr<const kj::byte> bytes, std::size_t max_bytes);

// The words of a frame as it is read in, growing to the size its segment
// table announces. Not std::vector<capnp::word>: capnp::word cannot be
// moved, which libstdc++ requires of a vector's elements when clang builds
// it (clang-tidy, the fuzzers); the words are copied over when they grow.
class FrameWords {
  public:
    // Keeps the first min(size(), words) words; new ones are zero.
    void resize(std::size_t words);
    void clear() { size_ = 0; }
    capnp::word* data() { return words_.begin(); }
    const capnp::word* data() const { return words_.begin(); }
    std::size_t size() const { return size_; }
    kj::ArrayPtr<const capnp::word> words() const { return kj::arrayPtr(data(), size_); }

  private:
    kj::Array<capnp::word> words_;
    std::size_t size_ = 0;
};

}  // namespace fieldflow::wire
