// Photos after the records: taken offline, kept on the handheld, sent in
// chunks that resume after a dropped connection, stored once by their hash,
// deleted from the handheld only once committed; refused ones kept and not
// sent again; a photo sent with two visits flagged.

#include <capnp/serialize.h>
#include <doctest/doctest.h>

#include <cstring>
#include <filesystem>
#include <iterator>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "agent/kept_photo.h"
#include "agent/photo_sync.h"
#include "agent/report_commands.h"
#include "agent/scratch_state.h"
#include "agent/sync.h"
#include "agent/with_gateway/cut_relay.h"
#include "agent/with_gateway/sync_to.h"
#include "store/photo_store.h"
#include "support/has.h"
#include "support/in_process_gateway.h"
#include "support/scratch_store.h"

using namespace fieldflow;
using agent::Outbox;
using test::has;
using test::InProcessGateway;

namespace {

// A file that passes for a JPEG by its first bytes, with `size` bytes of
// noise after them, different for each seed.
std::vector<char> write_photo(const std::filesystem::path& path, std::size_t size, unsigned seed) {
    std::vector<char> bytes(size);
    std::mt19937 random(seed);
    for (auto& b : bytes) b = static_cast<char>(random());
    bytes[0] = '\xFF';
    bytes[1] = '\xD8';
    bytes[2] = '\xFF';
    std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
    return bytes;
}

// A check-in at T1 (where the master fixture puts it) with a storefront photo.
std::uint64_t check_in_with(Outbox& outbox, const std::filesystem::path& photo) {
    core::CheckIn in{"T1", 31.2304, 121.5060, 8};
    agent::attach_photo(outbox, in, photo.string());
    return outbox.check_in(in).seq;
}

long long scalar(InProcessGateway& gateway, const std::string& sql) {
    return test::store_scalar(gateway.db(), sql);
}

std::optional<store::StoredPhoto> stored_photo(InProcessGateway& gateway,
                                               const std::string& sha256) {
    auto db = store::sql::Database::open(gateway.db());
    store::PhotoStore photos(*db);
    return photos.photo(sha256);
}

}  // namespace

TEST_CASE("sync: a photo taken offline arrives byte for byte after a dropped connection, once") {
    test::ScratchState dir;
    InProcessGateway gateway;
    const std::size_t size = 600'000;
    auto bytes = write_photo(dir.path() / "storefront.jpg", size, 1);
    Outbox outbox(dir.handheld());
    outbox.init({"dev-001", "R1"});
    check_in_with(outbox, dir.path() / "storefront.jpg");
    // The camera's folder is cleaned: the handheld's own copy is what goes.
    std::filesystem::remove(dir.path() / "storefront.jpg");
    auto sha256 = outbox.queued_photos().at(0).sha256;
    auto kept = agent::kept_photo_path(dir.handheld(), sha256);
    REQUIRE(std::filesystem::exists(kept));

    // The network goes in the middle of the photo's second chunk, and stays
    // away for the rest of this sync.
    const auto chunk = gateway.options().photo_chunk_bytes;
    REQUIRE(size > 2 * chunk);
    test::CutRelay relay(gateway.port(), 2000 + chunk + chunk / 2);
    std::ostringstream out;
    CHECK(agent::sync(outbox, test::sync_to(relay.address(), out, std::chrono::seconds(1))) == 75);
    CHECK(outbox.depth() == 0);  // the records went first
    CHECK(scalar(gateway, "SELECT count(*) FROM records WHERE device = 'dev-001'") == 1);
    // The first chunk is held, durably; the photo is not stored, and the
    // handheld keeps its copy.
    CHECK(scalar(gateway, "SELECT count(*) FROM photos") == 0);
    CHECK(scalar(gateway, "SELECT sum(length(bytes)) FROM photo_chunks") == chunk);
    CHECK(std::filesystem::exists(kept));
    CHECK(outbox.photo_counts().queued == 1);

    relay.open();
    std::ostringstream again;
    CHECK(agent::sync(outbox, test::sync_to(relay.address(), again)) == 0);
    INFO(again.str());
    CHECK(has(again.str(),
              "resuming at byte " + std::to_string(chunk) + " of " + std::to_string(size)));
    CHECK(has(again.str(), "photos: 1 delivered, 0 refused"));
    // Only what the gateway lacked went up again.
    auto upstream = relay.upstream_bytes();
    CHECK(upstream.back() < size - chunk + 4096);

    auto photo = stored_photo(gateway, sha256);
    REQUIRE(photo);
    CHECK(photo->content_type == "image/jpeg");
    CHECK(photo->bytes.size() == size);
    CHECK(std::equal(photo->bytes.begin(), photo->bytes.end(),
                     reinterpret_cast<const std::byte*>(bytes.data())));
    CHECK(scalar(gateway, "SELECT count(*) FROM photos") == 1);
    CHECK(scalar(gateway, "SELECT count(*) FROM photo_chunks") == 0);
    // Committed, so the handheld's copy is gone, and nothing is sent again.
    CHECK_FALSE(std::filesystem::exists(kept));
    CHECK(outbox.photo_counts().queued == 0);
    std::ostringstream third;
    CHECK(agent::sync(outbox, test::sync_to(gateway.address(), third)) == 0);
    CHECK_FALSE(has(third.str(), "photos:"));
    CHECK(scalar(gateway, "SELECT count(*) FROM photos") == 1);
}

TEST_CASE("sync: a photo sent with a second visit is flagged photo_reused, naming the first") {
    test::ScratchState dir;
    InProcessGateway gateway;
    write_photo(dir.path() / "door.jpg", 20'000, 2);
    Outbox outbox(dir.handheld());
    outbox.init({"dev-001", "R1"});
    auto first = check_in_with(outbox, dir.path() / "door.jpg");
    outbox.check_out();
    auto second = check_in_with(outbox, dir.path() / "door.jpg");
    // One photo kept and queued for both records.
    CHECK(outbox.photo_counts().queued == 1);

    std::ostringstream out;
    CHECK(agent::sync(outbox, test::sync_to(gateway.address(), out)) == 0);
    auto verdicts = outbox.verdicts(10);
    REQUIRE(verdicts.size() == 1);
    CHECK(verdicts[0].seq == second);
    CHECK(verdicts[0].verdict == "flagged");
    REQUIRE(verdicts[0].reasons.size() == 1);
    CHECK(verdicts[0].reasons[0].code == "photo_reused");
    CHECK(has(verdicts[0].reasons[0].detail,
              "record " + std::to_string(first) + " of device dev-001 at terminal T1, captured "));
    CHECK(scalar(gateway, "SELECT count(*) FROM photos") == 1);
    CHECK(outbox.photo_counts().queued == 0);
}

TEST_CASE(
    "sync: photos the gateway refuses are kept, marked and not sent again, and records sync") {
    test::ScratchState dir;
    auto options = InProcessGateway::open_options();
    options.max_photo_bytes = 100'000;
    InProcessGateway gateway(options);
    Outbox outbox(dir.handheld());
    outbox.init({"dev-001", "R1"});
    std::ofstream(dir.path() / "notes.txt") << "not a photo at all\n";
    write_photo(dir.path() / "huge.jpg", 150'000, 3);
    write_photo(dir.path() / "changed.jpg", 30'000, 4);
    check_in_with(outbox, dir.path() / "notes.txt");
    check_in_with(outbox, dir.path() / "huge.jpg");
    check_in_with(outbox, dir.path() / "changed.jpg");
    // The kept copy damaged after capture: its bytes no longer hash to its name.
    auto changed = outbox.queued_photos().at(2);
    {
        std::fstream f(changed.file, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(100);
        f.put('x');
    }

    std::ostringstream out;
    CHECK(agent::sync(outbox, test::sync_to(gateway.address(), out)) == 0);
    INFO(out.str());
    CHECK(outbox.depth() == 0);
    CHECK(scalar(gateway, "SELECT count(*) FROM records WHERE device = 'dev-001'") == 5);
    CHECK(scalar(gateway, "SELECT count(*) FROM photos") == 0);
    CHECK(scalar(gateway, "SELECT count(*) FROM photo_chunks") == 0);
    auto refused = outbox.refused_photos();
    REQUIRE(refused.size() == 3);
    CHECK(refused[0].reason == "not_an_image");
    CHECK(refused[1].reason == "too_large");
    CHECK(has(refused[1].detail, "150000 bytes; this gateway takes 100000 at most"));
    CHECK(refused[2].reason == "wrong_hash");
    CHECK(has(out.str(), "refused by the gateway: too_large"));
    CHECK(has(out.str(), "photos: 0 delivered, 3 refused"));
    // Kept on the handheld, and not offered again.
    CHECK(std::filesystem::exists(changed.file));
    CHECK(outbox.photo_counts().queued == 0);
    CHECK(outbox.photo_counts().refused == 3);
    std::ostringstream again;
    CHECK(agent::sync(outbox, test::sync_to(gateway.address(), again)) == 0);
    CHECK_FALSE(has(again.str(), "refused"));
}

TEST_CASE("sync: a gateway that takes no photos gets the records, and the photos stay queued") {
    test::ScratchState dir;
    auto options = InProcessGateway::open_options();
    options.max_photo_bytes = 0;
    InProcessGateway gateway(options);
    write_photo(dir.path() / "door.jpg", 10'000, 5);
    Outbox outbox(dir.handheld());
    outbox.init({"dev-001", "R1"});
    check_in_with(outbox, dir.path() / "door.jpg");

    std::ostringstream out;
    CHECK(agent::sync(outbox, test::sync_to(gateway.address(), out, std::chrono::seconds(5))) == 0);
    CHECK(outbox.depth() == 0);
    CHECK(scalar(gateway, "SELECT count(*) FROM records WHERE device = 'dev-001'") == 1);
    CHECK(has(out.str(), "the gateway takes no photos: 1 photos stay on the handheld"));
    CHECK(outbox.photo_counts().queued == 1);
    CHECK(std::filesystem::exists(outbox.queued_photos().at(0).file));
}

TEST_CASE("sync: an old gateway's welcome (golden protocol v1) announces no photos to send") {
    auto path = std::filesystem::path(FIELDFLOW_SOURCE_DIR) / "tests" / "golden" / "protocol-v1" /
                "welcome.bin";
    std::ifstream in(path, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(!bytes.empty());
    auto words = kj::heapArray<capnp::word>(bytes.size() / sizeof(capnp::word));
    std::memcpy(words.begin(), bytes.data(), words.size() * sizeof(capnp::word));
    capnp::FlatArrayMessageReader reader(words);
    auto message = reader.getRoot<wire::ServerMessage>();
    REQUIRE(message.isWelcome());
    CHECK(agent::photo_limits(message.getWelcome()).max_bytes == 0);
}
