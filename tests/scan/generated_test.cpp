// The scanner over frames made here: codes written by ZXing's writer (and
// GS1 DataMatrix by libzint, since ZXing 1.4 cannot write FNC1), degraded
// the way handheld cameras degrade them, several in one frame.

#include <doctest/doctest.h>

#include "scan/shipped_scan_options.h"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <zint.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>

#include "scan/image.h"
#include "scan/image_ops.h"
#include "scan/reader.h"
#include "scan/generated_images.h"

using namespace fieldflow;
using namespace fieldflow::scan;

namespace {

GrayImage write_code(ZXing::BarcodeFormat format, const std::string& text, int width, int height) {
    auto bits = ZXing::MultiFormatWriter(format).setMargin(10).encode(text, width, height);
    auto matrix = ZXing::ToMatrix<std::uint8_t>(bits);
    GrayImage image{matrix.width(), matrix.height(), {}};
    image.pixels.assign(matrix.data(), matrix.data() + matrix.size());
    return image;
}

// A square DataMatrix, as printed on drug packs, with `scale` pixels per
// module. In GS1 mode `data` is the bracketed form, e.g. "[01]06901234567892[10]LOT".
// (ZXing 1.4's writer picks rectangular symbols and cannot write FNC1.)
GrayImage write_datamatrix(const std::string& data, int scale, bool gs1) {
    // Drug packs carry square symbols.
    return pad(
        testing::zint_image(BARCODE_DATAMATRIX, gs1 ? GS1_MODE : DATA_MODE, data, scale, DM_SQUARE),
        4 * scale);
}

GrayImage write_gs1_datamatrix(const std::string& bracketed, int scale) {
    return write_datamatrix(bracketed, scale, true);
}

// A frame of the given size, light grey, with `code` pasted at (x, y).
GrayImage frame_with(int width, int height,
                     const std::vector<std::pair<GrayImage, std::pair<int, int>>>& codes) {
    GrayImage frame{width, height,
                    std::vector<std::uint8_t>(static_cast<std::size_t>(width) * height, 235)};
    for (const auto& [code, at] : codes) {
        REQUIRE(at.first + code.width <= width);
        REQUIRE(at.second + code.height <= height);
        for (int y = 0; y < code.height; ++y)
            for (int x = 0; x < code.width; ++x)
                frame.pixels[static_cast<std::size_t>(y + at.second) * width + x + at.first] =
                    code.at(x, y);
    }
    return frame;
}

GrayImage box_blur(const GrayImage& image, int radius) {
    GrayImage out = image;
    for (int y = radius; y < image.height - radius; ++y)
        for (int x = radius; x < image.width - radius; ++x) {
            int sum = 0, n = 0;
            for (int dy = -radius; dy <= radius; ++dy)
                for (int dx = -radius; dx <= radius; ++dx, ++n) sum += image.at(x + dx, y + dy);
            out.pixels[static_cast<std::size_t>(y) * image.width + x] =
                static_cast<std::uint8_t>(sum / n);
        }
    return out;
}

GrayImage low_contrast(const GrayImage& image) {
    GrayImage out = image;
    for (auto& p : out.pixels) p = static_cast<std::uint8_t>(110 + p * 50 / 255);  // 110..160
    return out;
}

bool reads(const GrayImage& image, const std::string& text) {
    auto found = read_barcodes(image, test::shipped_scan_options());
    return std::any_of(found.begin(), found.end(),
                       [&](const Decoded& d) { return d.text == text; });
}

}  // namespace

TEST_CASE("generated: every symbology reads back from a clean frame") {
    struct Case {
        ZXing::BarcodeFormat format;
        std::string text;
        int w, h;
    };
    for (const auto& c : std::vector<Case>{
             {ZXing::BarcodeFormat::EAN13, "6901234567892", 300, 120},
             {ZXing::BarcodeFormat::EAN8, "96385074", 200, 100},
             {ZXing::BarcodeFormat::UPCA, "036000291452", 300, 120},
             {ZXing::BarcodeFormat::Code128, "86123450001234567890", 400, 120},
             {ZXing::BarcodeFormat::ITF, "10614141000415", 400, 120},
             {ZXing::BarcodeFormat::QRCode, "https://fieldflow.example/p/1", 200, 200}}) {
        CAPTURE(c.text);
        auto frame = frame_with(640, 480, {{write_code(c.format, c.text, c.w, c.h), {100, 100}}});
        auto found = read_barcodes(frame, test::shipped_scan_options());
        REQUIRE(found.size() == 1);
        CHECK(found[0].text.ends_with(c.text.substr(c.text.size() - 7)));
    }
}

TEST_CASE("generated: a square DataMatrix reads back wherever it sits in the frame") {
    auto code = write_datamatrix("86123450001234567890", 8, false);
    for (auto at : {std::pair{10, 10}, std::pair{220, 140}, std::pair{420, 260}}) {
        CAPTURE(at.first);
        CHECK(reads(frame_with(640, 480, {{code, at}}), "86123450001234567890"));
    }
}

TEST_CASE(
    "generated: a GS1 DataMatrix keeps its FNC1 separators and the GS1 symbology identifier") {
    auto frame = frame_with(
        640, 480,
        {{write_gs1_datamatrix("[01]06901234567892[17]261231[10]LOT42[21]SN0001", 6), {200, 120}}});
    auto found = read_barcodes(frame, test::shipped_scan_options());
    REQUIRE(found.size() == 1);
    CHECK(found[0].aim == "]d2");
    CHECK(found[0].text ==
          "010690123456789217261231"
          "10LOT42\x1d"
          "21SN0001");
    auto content = core::classify(found[0].content(), found[0].symbology, 2026);
    CHECK(content.lot == "LOT42");
    CHECK(content.serial == "SN0001");
}

TEST_CASE("generated: codes survive rotation, blur, noise and low contrast") {
    auto ean = write_code(ZXing::BarcodeFormat::EAN13, "6901234567892", 360, 140);
    auto dm = write_gs1_datamatrix("[01]06901234567892[10]A1[21]S9", 6);
    auto qr = write_code(ZXing::BarcodeFormat::QRCode, "86123450001234567890", 220, 220);
    for (const auto& [code, expected] :
         std::vector<std::pair<GrayImage, std::string>>{{ean, "6901234567892"},
                                                        {dm,
                                                         "0106901234567892"
                                                         "10A1\x1d"
                                                         "21S9"},
                                                        {qr, "86123450001234567890"}}) {
        const std::string& text = expected;  // not a binding: CAPTURE takes it (clang 14)
        CAPTURE(text);
        auto frame = frame_with(640, 480, {{code, {140, 100}}});
        // Linear codes are read along rows: a handheld holds them within a
        // few degrees of level, or upside down; matrix codes at any angle.
        bool linear = text == "6901234567892";
        for (double angle : linear ? std::vector<double>{5.0, 9.0, 180.0}
                                   : std::vector<double>{12.0, 33.0, 75.0, 160.0}) {
            CAPTURE(angle);
            CHECK(reads(testing::rotate_degrees(frame, angle), text));
        }
        CHECK(reads(box_blur(frame, 1), text));
        CHECK(reads(testing::noisy(frame, 18, 42), text));
        CHECK(reads(low_contrast(frame), text));
    }
}

TEST_CASE("generated: several codes in one frame are all read") {
    auto frame = frame_with(
        1280, 720,
        {{write_code(ZXing::BarcodeFormat::EAN13, "6901234567892", 300, 120), {40, 40}},
         {write_code(ZXing::BarcodeFormat::Code128, "86123450001234567890", 420, 120), {40, 400}},
         {write_code(ZXing::BarcodeFormat::EAN13, "4006381333931", 300, 120), {700, 400}},
         {write_gs1_datamatrix("[01]06901234567892[10]LOT7", 5), {800, 60}},
         {write_code(ZXing::BarcodeFormat::QRCode, "QR-ONE", 160, 160), {500, 60}}});
    auto found = read_barcodes(frame, test::shipped_scan_options());
    std::vector<std::string> texts;
    for (const auto& d : found) texts.push_back(d.text);
    CAPTURE(texts.size());
    for (std::string expected :
         {"6901234567892", "86123450001234567890", "4006381333931", "QR-ONE"})
        CHECK(std::find(texts.begin(), texts.end(), expected) != texts.end());
    CHECK(std::find(texts.begin(), texts.end(),
                    std::string("0106901234567892"
                                "10LOT7")) != texts.end());
    CHECK(found.size() == 5);
}

TEST_CASE("generated: codes turned across the rows, or small in a large frame, are found") {
    // Bars across the rows with two-pixel modules, near the frame's corner.
    auto ean = rotate(write_code(ZXing::BarcodeFormat::EAN13, "6901234567892", 300, 120), 1);
    CHECK(reads(testing::noisy(frame_with(640, 480, {{ean, {5, 5}}}), 3, 42), "6901234567892"));
    // A code under 1 % of a 1280×720 frame's pixels, on a noisy background.
    auto qr = write_code(ZXing::BarcodeFormat::QRCode, "QR-SMALL", 90, 90);
    auto dm = write_datamatrix("86123450001234567890", 5, false);
    CHECK(reads(testing::noisy(frame_with(1280, 720, {{qr, {900, 500}}}), 3, 42), "QR-SMALL"));
    CHECK(reads(testing::noisy(frame_with(1280, 720, {{dm, {5, 5}}}), 6, 42),
                "86123450001234567890"));
}

TEST_CASE("generated: a blank or noisy frame reads nothing") {
    GrayImage blank{640, 480, std::vector<std::uint8_t>(640 * 480, 200)};
    CHECK(read_barcodes(blank, test::shipped_scan_options()).empty());
    CHECK(read_barcodes(testing::noisy(blank, 40, 42), test::shipped_scan_options()).empty());
    CHECK(read_barcodes(GrayImage{}, test::shipped_scan_options()).empty());
}
