// The scanner over real photographed and printed barcodes (the shared
// samples), held to the counts the upstream reader reaches, and over frames
// that hold no barcode at all.

#include <doctest/doctest.h>

#include "scan/shipped_scan_options.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <iostream>
#include <map>
#include <sstream>

#include "scan/image.h"
#include "scan/reader.h"

using namespace fieldflow::scan;
namespace fs = std::filesystem;

namespace {

const fs::path samples = fs::path(FIELDFLOW_SOURCE_DIR) / ".." / "shared" / "barcode-samples";

std::string clean(std::string text) {
    text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    return text;
}

struct FolderResult {
    int images = 0;
    int read = 0;
    int false_reads = 0;
    std::vector<std::string> missed;
};

FolderResult scan_folder(const std::string& folder, int quarter_turns) {
    FolderResult result;
    for (const auto& entry : fs::directory_iterator(samples / folder)) {
        auto ext = entry.path().extension().string();
        if (ext != ".png" && ext != ".jpg" && ext != ".webp" && ext != ".pgm") continue;
        auto load = load_image(entry.path());
        REQUIRE_MESSAGE(load.image.has_value(), load.error);
        ++result.images;
        auto found = read_barcodes(rotate(*load.image, quarter_turns),
                                   fieldflow::test::shipped_scan_options());
        auto expected_path = entry.path();
        expected_path.replace_extension(".txt");
        auto binary_path = entry.path();
        binary_path.replace_extension(".bin");
        if (fs::exists(binary_path)) {  // binary content: compared byte for byte
            std::ifstream in(binary_path, std::ios::binary);
            std::vector<std::uint8_t> expected((std::istreambuf_iterator<char>(in)),
                                               std::istreambuf_iterator<char>());
            bool hit = std::any_of(found.begin(), found.end(),
                                   [&](const Decoded& d) { return d.bytes == expected; });
            if (hit)
                ++result.read;
            else
                result.missed.push_back(entry.path().filename().string());
            continue;
        }
        if (!fs::exists(expected_path)) {
            result.false_reads += static_cast<int>(found.size());
            continue;
        }
        std::ifstream in(expected_path, std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        auto expected = clean(text.str());
        bool hit = std::any_of(found.begin(), found.end(),
                               [&](const Decoded& d) { return clean(d.text) == expected; });
        if (hit)
            ++result.read;
        else
            result.missed.push_back(entry.path().filename().string());
    }
    return result;
}

void expect_at_least(const std::string& folder, int quarter_turns, int wanted) {
    auto r = scan_folder(folder, quarter_turns);
    std::string missed;
    for (const auto& m : r.missed) missed += " " + m;
    INFO(folder, " at ", quarter_turns * 90, "°: ", r.read, " of ", r.images,
         " read; missed:", missed);
    CHECK(r.read >= wanted);
    MESSAGE(folder << " at " << quarter_turns * 90 << "°: " << r.read << " of " << r.images);
}

}  // namespace

TEST_CASE("blackbox: the samples are there") {
    REQUIRE_MESSAGE(fs::is_directory(samples), "expected the shared samples at " << samples);
}

// Counts at rotation 0 and the rotated counts from the samples' README
// ("try harder" column), except where Debian's ZXing 1.4 cannot read an
// image at all (see docs/barcodes.md): those folders carry the lower count
// this build reaches, and the test says so.
TEST_CASE("blackbox: code128-1") {
    expect_at_least("code128-1", 0, 6);
    expect_at_least("code128-1", 2, 6);
}
TEST_CASE("blackbox: code128-2") {
    expect_at_least("code128-2", 0, 14);
    expect_at_least("code128-2", 2, 14);
}
TEST_CASE("blackbox: datamatrix-1") {
    // distorted.png (uneven modules) only by regridding from its timing edges
    for (int turns : {0, 1, 2, 3}) expect_at_least("datamatrix-1", turns, 30);
}
TEST_CASE("blackbox: datamatrix-2") {
    for (int turns : {0, 1, 2, 3}) expect_at_least("datamatrix-2", turns, 13);
}
TEST_CASE("blackbox: datamatrix-4") {
    for (int turns : {0, 1, 2, 3}) expect_at_least("datamatrix-4", turns, 21);
}
TEST_CASE("blackbox: ean13-1") {
    expect_at_least("ean13-1", 0, 14);
    expect_at_least("ean13-1", 2, 14);
}
TEST_CASE("blackbox: ean13-3") {
    expect_at_least("ean13-3", 0, 8);
    expect_at_least("ean13-3", 2, 8);
}
TEST_CASE("blackbox: itf-1") {
    expect_at_least("itf-1", 0,
                    13);  // upstream 14: the 4-digit #853.png is below ZXing 1.4's ITF minimum
    expect_at_least("itf-1", 2, 13);
}
TEST_CASE("blackbox: qrcode-3") {
    for (int turns : {0, 1, 2, 3})
        expect_at_least("qrcode-3", turns, 16);  // upstream 18: 22 and 23 beyond 1.4
}
TEST_CASE("blackbox: qrcode-6") {
    for (int turns : {0, 1, 2, 3}) expect_at_least("qrcode-6", turns, 15);
}
TEST_CASE("blackbox: nothing is read from frames without a barcode") {
    for (int turns : {0, 1, 2, 3}) {
        auto r = scan_folder("falsepositives-1", turns);
        CHECK(r.images == 21);
        CHECK(r.false_reads == 0);
    }
}
