#include "schemas/frame.h"

#include <doctest/doctest.h>

#include <capnp/message.h>

#include <string>

#include "schemas/protocol.capnp.h"

using namespace fieldflow;

namespace {

kj::Array<capnp::word> hello_frame(std::size_t credential_bytes) {
    capnp::MallocMessageBuilder message;
    auto hello = message.initRoot<wire::ClientMessage>().initHello();
    hello.setDeviceId("dev-001");
    hello.setCredential(std::string(credential_bytes, 'c'));
    return wire::encode(message);
}

kj::ArrayPtr<const kj::byte> bytes_of(const std::string& text) {
    return kj::arrayPtr(reinterpret_cast<const kj::byte*>(text.data()), text.size());
}

}  // namespace

TEST_CASE("frame: the first word announces the whole frame's size") {
    auto frame = hello_frame(100);
    // One segment: its table is the first word, and that is enough to know.
    CHECK(wire::announced_frame_words(frame.slice(0, wire::frame_prefix_words)) == frame.size());
    CHECK(wire::announced_frame_words(frame.asPtr()) == frame.size());
}

TEST_CASE("frame: a multi-segment table asks for more words before it can tell") {
    capnp::MallocMessageBuilder message(4, capnp::AllocationStrategy::FIXED_SIZE);
    auto hello = message.initRoot<wire::ClientMessage>().initHello();
    hello.setDeviceId(std::string(64, 'd'));
    hello.setRepId(std::string(64, 'r'));
    REQUIRE(message.getSegmentsForOutput().size() > 2);
    auto frame = wire::encode(message);
    auto first = wire::announced_frame_words(frame.slice(0, 1));
    CHECK(first > 1);
    CHECK(first <= frame.size());
    CHECK(wire::announced_frame_words(frame.asPtr()) == frame.size());
}

TEST_CASE("frame: bytes come back word-aligned and zero-padded") {
    std::byte odd[11];
    for (int i = 0; i < 11; ++i) odd[i] = std::byte(i + 1);
    auto words = wire::aligned_copy(std::span<const std::byte>(odd));
    REQUIRE(words.size() == 2);
    auto back = wire::as_bytes(words);
    CHECK(back[0] == std::byte(1));
    CHECK(back[10] == std::byte(11));
    CHECK(back[11] == std::byte(0));
    CHECK(back[15] == std::byte(0));
    CHECK(wire::aligned_copy(std::span<const std::byte>()).size() == 0);
}

TEST_CASE("frame: the traversal limit is the frame limit in words") {
    wire::ReadLimits limits;
    limits.max_frame_bytes = 4096;
    limits.nesting_limit = 5;
    auto options = limits.reader_options();
    CHECK(options.traversalLimitInWords == 4096 / 8 + 1);
    CHECK(options.nestingLimit == 5);
}

TEST_CASE("frame: deflated bytes inflate back, within their limit only") {
    std::string text(10'000, 'x');
    text += "end";
    auto deflated = wire::deflate_bytes(bytes_of(text));
    CHECK(deflated.size() < text.size() / 10);

    auto inflated = wire::inflate_bytes(deflated, text.size());
    REQUIRE(inflated.error.empty());
    auto back = wire::as_bytes(inflated.words);
    CHECK(std::string(reinterpret_cast<const char*>(back.data()), text.size()) == text);

    auto refused = wire::inflate_bytes(deflated, 1'000);
    CHECK(refused.too_large);
    CHECK(refused.error.find("beyond 1000 bytes") != std::string::npos);
    CHECK(refused.words.size() == 0);
}

TEST_CASE("frame: a truncated or foreign deflate stream is refused, not read") {
    auto deflated = wire::deflate_bytes(bytes_of(std::string(5'000, 'y')));
    auto truncated = wire::inflate_bytes(deflated.slice(0, deflated.size() / 2), 1 << 20);
    CHECK_FALSE(truncated.error.empty());
    CHECK_FALSE(truncated.too_large);

    auto garbage = wire::inflate_bytes(bytes_of("not deflate at all"), 1 << 20);
    CHECK(garbage.error.find("not a whole deflate stream") != std::string::npos);
    CHECK_FALSE(garbage.too_large);
}
