#include "core/digest.h"

#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

using namespace fieldflow;

namespace {

std::string hex_of(core::Sha256Digest digest) {
    return core::hex(digest);
}

std::span<const std::byte> bytes_of(const std::string& text) {
    return std::as_bytes(std::span(text.data(), text.size()));
}

}  // namespace

TEST_CASE("digest: SHA-256 gives the standard's digests, piece by piece or at once") {
    const std::string abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    const std::string empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    CHECK(hex_of(core::sha256(bytes_of("abc"))) == abc);
    CHECK(hex_of(core::sha256({})) == empty);
    core::Sha256 hasher;
    CHECK(hex_of(hasher.update("a").update("").update("bc").finish()) == abc);
    // A hasher starts over after finish(), and contexts come back from use
    // by other hashers as good as new.
    CHECK(hex_of(hasher.finish()) == empty);
    for (int i = 0; i < 50; ++i) {
        core::Sha256 again;
        CHECK(hex_of(again.update("abc").finish()) == abc);
    }
    std::string other;
    std::thread([&] { other = hex_of(core::sha256(bytes_of("abc"))); }).join();
    CHECK(other == abc);
}
