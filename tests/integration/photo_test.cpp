// Photos through the real programs: a storefront photo taken offline with
// `checkin --photo`, its record seen as "photo not received" while the only
// gateway takes no photos, then delivered, and read back byte for byte with
// `fieldflow photo get`.

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "support/gateway_process.h"
#include "support/handheld.h"
#include "support/master_fixture.h"
#include "support/process.h"

using namespace fieldflow::test;

namespace {

// A file that passes for a JPEG by its first bytes.
std::string write_jpeg(const std::string& path, std::size_t size) {
    std::string bytes = "\xFF\xD8\xFF\xE0";
    for (std::size_t i = bytes.size(); i < size; ++i) bytes += static_cast<char>((i * 131) % 251);
    std::ofstream(path, std::ios::binary) << bytes;
    return bytes;
}

std::string between(const std::string& text, const std::string& before, char end) {
    auto at = text.find(before);
    if (at == std::string::npos) return {};
    at += before.size();
    return text.substr(at, text.find(end, at) - at);
}

}  // namespace

TEST_CASE("photos: a storefront photo is listed as not received until it arrives, then read back") {
    Handheld h;
    REQUIRE(h({"init", "--device", "dev-001", "--rep", "R1"}).code == 0);
    auto photo = write_jpeg(h.dir / "storefront.jpg", 300'000);
    REQUIRE(h({"checkin", "--terminal", "T1", "--lat", "31.2304", "--lon", "121.5060", "--accuracy",
               "5", "--photo", h.dir / "storefront.jpg"})
                .code == 0);
    CHECK(h.status_has("\"photos_queued\":1"));
    // A photo that cannot be read refuses the capture, and saves nothing.
    CHECK(h({"checkin", "--terminal", "T1", "--lat", "31.2304", "--lon", "121.5060", "--accuracy",
             "5", "--photo", h.dir / "missing.jpg"})
              .code == 1);
    CHECK(h.status_has("\"depth\":1,"));

    TempDir dir;
    std::string db = dir.store("gateway.db");
    std::string master = write_master_fixture(dir.path());
    std::string sha256;
    {
        GatewayProcess gateway(master, db, "127.0.0.1:0", dir / "gateway.log",
                               {"--max-photo-bytes", "0"});
        auto sync = h({"sync", "--gateway", gateway.address()});
        CHECK(sync.code == 0);
        CHECK(sync.out.find("the gateway takes no photos: 1 photos stay") != std::string::npos);
        auto listed = run({binary("fieldflow"), "records", "--db", db}).out;
        INFO(listed);
        CHECK(listed.find("\"photo\":\"not_received\"") != std::string::npos);
        sha256 = between(listed, "\"photoSha256\":\"", '"');
        REQUIRE(sha256.size() == 64);
        CHECK(run({binary("fieldflow"), "photo", "get", sha256, "--db", db}).code == 1);
    }
    CHECK(h.status_has("\"photos_queued\":1"));

    GatewayProcess gateway(master, db, "127.0.0.1:0", dir / "gateway2.log");
    auto sync = h({"sync", "--gateway", gateway.address()});
    CHECK(sync.code == 0);
    CHECK(sync.out.find("photos: 1 delivered, 0 refused") != std::string::npos);
    CHECK(h.status_has("\"photos_queued\":0"));
    auto listed = run({binary("fieldflow"), "records", "--db", db}).out;
    CHECK(listed.find("\"photo\":\"received\"") != std::string::npos);

    auto to_stdout = run({binary("fieldflow"), "photo", "get", sha256, "--db", db});
    CHECK(to_stdout.code == 0);
    CHECK(to_stdout.out == photo);
    CHECK(run({binary("fieldflow"), "photo", "get", sha256, "--db", db, "--out", dir / "got.jpg"})
              .code == 0);
    CHECK(read_file(dir / "got.jpg") == photo);
    CHECK(run({binary("fieldflow"), "photo", "get", "not-a-hash", "--db", db}).code == 2);
}
