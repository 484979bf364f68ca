// One photo chunk judged against what the store holds (gateway/photo_upload.h):
// taken only where the held bytes end, stored once whole and checked,
// refused with a reason the agent can show.

#include "gateway/photo_upload.h"

#include <doctest/doctest.h>

#include "core/digest.h"
#include "store/store_file.h"

using namespace fieldflow;

namespace {

std::vector<std::byte> jpeg_like(std::size_t size) {
    std::vector<std::byte> bytes(size);
    for (std::size_t i = 0; i < size; ++i) bytes[i] = std::byte(i * 37 % 256);
    bytes[0] = std::byte{0xFF};
    bytes[1] = std::byte{0xD8};
    bytes[2] = std::byte{0xFF};
    return bytes;
}

struct Photos {
    test::StoreFile file;
    std::unique_ptr<store::sql::Database> db = store::sql::Database::open(file.location);
    store::PhotoStore photos{*db};

    gateway::PhotoReceipt take(const std::string& sha256, const std::vector<std::byte>& whole,
                               std::uint64_t offset, std::size_t length,
                               std::uint64_t max = 1 << 20) {
        gateway::PhotoChunk chunk{"dev-001", sha256, whole.size(), offset, {}, max};
        chunk.bytes.assign(whole.begin() + std::ptrdiff_t(offset),
                           whole.begin() + std::ptrdiff_t(offset + length));
        store::sql::Transaction transaction(*db);
        auto receipt = gateway::take_chunk(photos, chunk, 1000);
        transaction.commit();
        return receipt;
    }
};

}  // namespace

TEST_CASE("photo upload: chunks resume where the held bytes end, and the whole is stored once") {
    Photos p;
    auto photo = jpeg_like(10'000);
    auto sha256 = core::hex(core::sha256(photo));

    auto asked = p.take(sha256, photo, 0, 0);  // how much is held?
    CHECK(asked.held_bytes == 0);
    CHECK_FALSE(asked.committed);
    CHECK(p.take(sha256, photo, 0, 4000).held_bytes == 4000);
    // A chunk elsewhere than at the held end is not taken: the answer says where.
    CHECK(p.take(sha256, photo, 6000, 4000).held_bytes == 4000);
    CHECK(p.take(sha256, photo, 0, 4000).held_bytes == 4000);
    CHECK(p.take(sha256, photo, 0, 0).held_bytes == 4000);
    auto last = p.take(sha256, photo, 4000, 6000);
    CHECK(last.committed);
    CHECK(last.refused.empty());

    auto stored = p.photos.photo(sha256);
    REQUIRE(stored);
    CHECK(stored->content_type == "image/jpeg");
    CHECK(stored->bytes == photo);
    // Sent again (another record, another device): committed at once, kept once.
    CHECK(p.take(sha256, photo, 0, 0).committed);
    CHECK(p.db->query_int64("SELECT count(*) FROM photos") == 1);
    CHECK(p.db->query_int64("SELECT count(*) FROM photo_chunks") == 0);
}

TEST_CASE("photo upload: too large, not an image and a wrong hash are refused with their reason") {
    Photos p;
    auto photo = jpeg_like(5000);
    auto sha256 = core::hex(core::sha256(photo));

    auto large = p.take(sha256, photo, 0, 0, 4999);
    CHECK(large.refused == "too_large");
    CHECK(large.detail == "the photo has 5000 bytes; this gateway takes 4999 at most");

    auto text = std::vector<std::byte>(100, std::byte{'a'});
    auto not_image = p.take(core::hex(core::sha256(text)), text, 0, 100);
    CHECK(not_image.refused == "not_an_image");

    auto other = jpeg_like(5000);
    other[4000] = std::byte{0};  // the bytes differ from those the name was taken of
    CHECK(p.take(sha256, other, 0, 3000).held_bytes == 3000);
    auto wrong = p.take(sha256, other, 3000, 2000);
    CHECK(wrong.refused == "wrong_hash");
    CHECK_FALSE(wrong.committed);
    CHECK(p.db->query_int64("SELECT count(*) FROM photos") == 0);
    CHECK(p.db->query_int64("SELECT count(*) FROM photo_chunks") == 0);

    CHECK(p.take("../../etc/passwd", photo, 0, 0).refused == "bad_chunk");
    // A PNG is as welcome as a JPEG.
    std::vector<std::byte> png(64);
    const unsigned char signature[] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    for (std::size_t i = 0; i < 8; ++i) png[i] = std::byte{signature[i]};
    auto png_sha = core::hex(core::sha256(png));
    CHECK(p.take(png_sha, png, 0, 64).committed);
    CHECK(p.photos.photo(png_sha)->content_type == "image/png");
}
