#include "scan/reader.h"

#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <chrono>
#include <functional>

#include "scan/image_ops.h"

namespace fieldflow::scan {

namespace {

using ZXing::BarcodeFormat;

constexpr auto linear_formats = BarcodeFormat::EAN13 | BarcodeFormat::UPCA | BarcodeFormat::EAN8 |
                                BarcodeFormat::Code128 | BarcodeFormat::ITF;
constexpr auto matrix_formats = BarcodeFormat::DataMatrix | BarcodeFormat::QRCode;
constexpr int small_frame = 800;  // pixels on the longer side

// A table rather than a switch: ZXing's enum has many members we never ask for.
core::Symbology symbology_of(BarcodeFormat format) {
    static constexpr std::pair<BarcodeFormat, core::Symbology> table[] = {
        {BarcodeFormat::EAN13, core::Symbology::ean13},
        {BarcodeFormat::UPCA, core::Symbology::upca},
        {BarcodeFormat::EAN8, core::Symbology::ean8},
        {BarcodeFormat::Code128, core::Symbology::code128},
        {BarcodeFormat::ITF, core::Symbology::itf},
        {BarcodeFormat::DataMatrix, core::Symbology::datamatrix},
        {BarcodeFormat::QRCode, core::Symbology::qr},
    };
    for (const auto& [zx, ours] : table)
        if (zx == format) return ours;
    return core::Symbology::unknown;
}

ZXing::ImageView view(const GrayImage& image) {
    return {image.pixels.data(), image.width, image.height, ZXing::ImageFormat::Lum};
}

// How a prepared copy relates to the frame: rotated clockwise by
// `quarter_turns` first, then padded by `margin`, then scaled by `scale`.
struct Pass {
    double scale = 1;
    int margin = 0;
    int quarter_turns = 0;
    int width = 0, height = 0;       // of the frame, for undoing the rotation
    int offset_x = 0, offset_y = 0;  // of a tile cut from the frame
};

// Corners in the frame's coordinates.
Point to_frame(const ZXing::PointI& p, const Pass& pass) {
    int x = static_cast<int>(p.x / pass.scale) - pass.margin + pass.offset_x;
    int y = static_cast<int>(p.y / pass.scale) - pass.margin + pass.offset_y;
    switch (pass.quarter_turns) {
        case 1:
            return {y, pass.height - 1 - x};
        case 2:
            return {pass.width - 1 - x, pass.height - 1 - y};
        case 3:
            return {pass.width - 1 - y, x};
        default:
            return {x, y};
    }
}

Decoded to_decoded(const ZXing::Result& result, const Pass& pass) {
    Decoded d;
    d.symbology = symbology_of(result.format());
    d.text = result.text();
    d.aim = result.symbologyIdentifier();
    d.bytes.assign(result.bytes().begin(), result.bytes().end());
    const auto& position = result.position();
    for (int i = 0; i < 4; ++i) d.corners[i] = to_frame(position[i], pass);
    return d;
}

void add_unique(std::vector<Decoded>& found, Decoded d) {
    for (const auto& f : found)
        if (f.symbology == d.symbology && f.text == d.text) return;
    found.push_back(std::move(d));
}

void read_datamatrix_tiles(const GrayImage& image, const ZXing::DecodeHints& hints,
                           std::vector<Decoded>& found);

// Matrix codes in one call; linear ones one at a time, blanking each; and
// DataMatrix again in tiles (see read_datamatrix_tiles).
void read_all(GrayImage image, ZXing::DecodeHints hints, Pass pass, int max_linear,
              std::vector<Decoded>& found) {
    if (pass.scale == 1 && pass.margin == 0 && pass.quarter_turns == 0)
        read_datamatrix_tiles(image, hints, found);
    auto matrix = hints;
    matrix.setFormats(matrix_formats);
    for (const auto& r : ZXing::ReadBarcodes(view(image), matrix))
        if (r.isValid()) add_unique(found, to_decoded(r, pass));

    auto linear = hints;
    linear.setFormats(linear_formats).setMaxNumberOfSymbols(1);
    for (int i = 0; i < max_linear; ++i) {
        auto r = ZXing::ReadBarcode(view(image), linear);
        if (!r.isValid()) break;
        add_unique(found, to_decoded(r, pass));
        const auto& p = r.position();
        blank_quadrilateral(image,
                            {p[0].x, p[0].y, p[1].x, p[1].y, p[2].x, p[2].y, p[3].x, p[3].y});
    }
}

// ZXing 1.4's DataMatrix detector searches outwards from the image's centre
// and misses symbols far from it. So each busy region of the frame (see
// busy_regions) is cut out with a margin and read on its own, with the
// symbol at the centre of what the detector sees.
void read_datamatrix_tiles(const GrayImage& image, const ZXing::DecodeHints& hints,
                           std::vector<Decoded>& found) {
    auto matrix = hints;
    matrix.setFormats(BarcodeFormat::DataMatrix).setTryDownscale(false);
    for (const auto& region : busy_regions(image)) {
        // The detector is sensitive to where the symbol sits in what it sees:
        // a tight cut first, then one twice as wide around the same centre.
        for (int widen : {0, region.width / 2}) {
            Pass pass{1, 0, 0, image.width, image.height, region.x - widen, region.y - widen};
            auto tile = crop(image, pass.offset_x, pass.offset_y, region.width + 2 * widen,
                             region.height + 2 * widen);
            bool read = false;
            for (const auto& r : ZXing::ReadBarcodes(view(tile), matrix))
                if (r.isValid()) {
                    add_unique(found, to_decoded(r, pass));
                    read = true;
                }
            if (read) break;
        }
    }
}

}  // namespace

std::vector<Decoded> read_barcodes(const GrayImage& image, const ScanOptions& options) {
    std::vector<Decoded> found;
    if (image.width <= 0 || image.height <= 0) return found;
    // A camera frame with no contrast, or no cluster of sharp edges, holds
    // no code: nothing to try. (Small images are close-ups of one code.)
    if (std::min(image.width, image.height) >= 320 &&
        (flat(image) || busy_regions(image, 1).empty()))
        return found;
    ZXing::DecodeHints hints;  // try harder, rotate and downscale are on by default
    const int n = options.max_linear_codes;
    auto pass = [&](double scale, int margin, int turns = 0) {
        return Pass{scale, margin, turns, image.width, image.height};
    };
    // A quick look first: most frames a rep takes hold a clear code.
    auto quick = hints;
    quick.setTryHarder(false).setTryRotate(false);
    read_all(image, quick, pass(1, 0), n, found);
    if (!found.empty() && options.stop_at_first) return found;
    read_all(image, hints, pass(1, 0), n, found);
    if (!found.empty() || !options.retries) return found;

    // Retries on large frames stop when the frame's time is up, so that a
    // frame with no code costs a bounded time; small frames are close-ups
    // and cheap, and always get every retry.
    const auto deadline = std::chrono::steady_clock::now() + options.retry_budget;
    const bool bounded = std::min(image.width, image.height) >= 320;
    auto out_of_time = [&] { return bounded && std::chrono::steady_clock::now() > deadline; };

    // Each retry is one prepared copy; the first that finds anything wins.
    const std::vector<std::function<void()>> retries = {
        [&] { read_all(stretch_contrast(image), hints, pass(1, 0), n, found); },
        [&] {
            auto global = hints;
            global.setBinarizer(ZXing::Binarizer::GlobalHistogram);
            read_all(image, global, pass(1, 0), n, found);
        },
        [&] { read_all(threshold(image, 60), hints, pass(1, 0), n, found); },
        // The matrix detectors sample differently at other orientations.
        [&] { read_all(rotate(image, 1), hints, pass(1, 0, 1), n, found); },
    };
    // For small frames (a close-up, a cut-out code), enlarged copies and a
    // quiet zone: modules of a pixel or two, codes printed to the edge.
    const std::vector<std::function<void()>> small_frame_retries = {
        [&] { read_all(resize(image, 1.5), hints, pass(1.5, 0), n, found); },
        [&] { read_all(resize(image, 2.0), hints, pass(2.0, 0), n, found); },
        [&] { read_all(pad(image, 8), hints, pass(1, 8), n, found); },
        [&] { read_all(resize(pad(image, 8), 2.0), hints, pass(2.0, 8), n, found); },
        [&] { read_all(resize(rotate(image, 1), 2.0), hints, pass(2.0, 0, 1), n, found); },
    };
    for (const auto& retry : retries) {
        if (out_of_time()) return found;
        retry();
        if (!found.empty()) return found;
    }
    if (std::max(image.width, image.height) > small_frame) return found;
    for (const auto& retry : small_frame_retries) {
        retry();
        if (!found.empty()) return found;
    }
    return found;
}

}  // namespace fieldflow::scan
