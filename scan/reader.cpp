#include "scan/reader.h"

#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <exception>
#include <chrono>
#include <functional>
#include <optional>

#include "core/gs1.h"
#include "scan/image_ops.h"

namespace fieldflow::scan {

namespace {

using ZXing::BarcodeFormat;

// DataBar is GS1 DataBar Omnidirectional and Stacked (ZXing 1.4 has no
// reader for DataBar Limited), DataBarExpanded also Expanded Stacked.
constexpr auto linear_formats = BarcodeFormat::EAN13 | BarcodeFormat::UPCA | BarcodeFormat::EAN8 |
                                BarcodeFormat::Code128 | BarcodeFormat::ITF |
                                BarcodeFormat::DataBar | BarcodeFormat::DataBarExpanded;
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
        {BarcodeFormat::DataBar, core::Symbology::databar},
        {BarcodeFormat::DataBarExpanded, core::Symbology::databar_expanded},
    };
    for (const auto& [zx, ours] : table)
        if (zx == format) return ours;
    return core::Symbology::unknown;
}

ZXing::ImageView view(const GrayImage& image) {
    return {image.pixels.data(), image.width, image.height, ZXing::ImageFormat::Lum};
}

// ZXing 1.4's readers can throw on a frame they cannot make sense of (its
// Micro QR reader throws std::out_of_range on a turned, thresholded copy of
// qrcode-3/23.webp): such a call reads nothing rather than ending the scan.
ZXing::Result read_one(const GrayImage& image, const ZXing::DecodeHints& hints) {
    try {
        return ZXing::ReadBarcode(view(image), hints);
    } catch (const std::exception&) {
        return {};
    }
}

ZXing::Results read_many(const GrayImage& image, const ZXing::DecodeHints& hints) {
    try {
        return ZXing::ReadBarcodes(view(image), hints);
    } catch (const std::exception&) {
        return {};
    }
}

// How a prepared copy relates to the frame: the frame, or the tile cut from
// it at `offset`, rotated clockwise by `quarter_turns` first, then padded by
// `margin`, then scaled by `scale`.
struct Pass {
    double scale = 1;
    int margin = 0;
    int quarter_turns = 0;
    int width = 0, height = 0;       // of the frame or tile, for undoing the rotation
    int offset_x = 0, offset_y = 0;  // of a tile cut from the frame
};

// Corners in the frame's coordinates.
Point to_frame(const ZXing::PointI& p, const Pass& pass) {
    int x = static_cast<int>(p.x / pass.scale) - pass.margin;
    int y = static_cast<int>(p.y / pass.scale) - pass.margin;
    Point q{x, y};
    switch (pass.quarter_turns) {
        case 1:
            q = {y, pass.height - 1 - x};
            break;
        case 2:
            q = {pass.width - 1 - x, pass.height - 1 - y};
            break;
        case 3:
            q = {pass.width - 1 - y, x};
            break;
        default:
            break;
    }
    return {q.x + pass.offset_x, q.y + pass.offset_y};
}

// ZXing 1.4 gives DataBar's GTIN without its AI and DataBar Expanded in the
// human-readable form "(01)...(10)...". A scan engine sends both as element
// strings behind ]e0, as the GS1 DataMatrix ones are: so are they here. An
// Expanded text that does not parse is kept as read, for classify to report.
std::string gs1_text(core::Symbology symbology, std::string text) {
    if (symbology == core::Symbology::databar) return "01" + text;
    if (symbology == core::Symbology::databar_expanded) {
        auto parse = core::parse_gs1(text, 2000);  // the century does not matter here
        if (parse.ok()) return core::element_string(parse.elements);
    }
    return text;
}

Decoded to_decoded(const ZXing::Result& result, const Pass& pass) {
    Decoded d;
    d.symbology = symbology_of(result.format());
    d.text = gs1_text(d.symbology, result.text());
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
    for (const auto& r : read_many(image, matrix))
        if (r.isValid()) add_unique(found, to_decoded(r, pass));

    auto linear = hints;
    linear.setFormats(linear_formats).setMaxNumberOfSymbols(1);
    for (int i = 0; i < max_linear; ++i) {
        auto r = read_one(image, linear);
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
            for (const auto& r : read_many(tile, matrix))
                if (r.isValid()) {
                    add_unique(found, to_decoded(r, pass));
                    read = true;
                }
            if (read) break;
        }
    }
}

// Camera frames (320 pixels or more on the shorter side) are read where
// they are busy. ZXing's matrix detectors binarise and search every pixel,
// which on a 1280×720 frame with sensor noise costs 6–15 ms a call, and its
// quick linear pass only looks at the middle half of the frame: so each busy
// region is cut out as a tile and read on its own, which also puts each
// symbol where ZXing 1.4's DataMatrix detector looks for it. Linear codes
// are also looked for in the whole frame, which is cheap (ZXing samples
// rows) and finds a code that spans several regions.
class CameraFrame {
  public:
    CameraFrame(const GrayImage& image, const ScanOptions& options, std::vector<Decoded>& found)
        : image_(image), options_(options), found_(found), regions_(busy_regions(image)) {
        quick_.setTryHarder(false).setTryRotate(false);
    }

    std::vector<Decoded> read() {
        if (regions_.empty()) return {};
        const auto start = Clock::now();
        GrayImage work = image_;  // codes found are blanked in it
        read_linear(work, quick_, false);
        if (done()) return found_;
        // Tiles from the frame as it came: blanking a linear code also
        // blanks what is close to it.
        read_tiles(image_, regions_, quick_, false);
        if (done()) return found_;
        // From here on each step begins only while the frame's time lasts,
        // so that a busy frame without a code costs a bounded time.
        deadline_ = start + options_.budget;
        // What a first look can miss: codes turned or damaged (try harder,
        // rotation), symbols off the centre of their tile (a tile twice as
        // wide). Codes already read are blanked, and their regions skipped,
        // so that the thorough detectors do not search them again.
        blank_found(work);
        read_linear(work, thorough_, true);
        read_tiles(work, regions_, thorough_, true);
        if (!found_.empty() || !options_.retries) return found_;

        // Nothing yet: the tiles again, cut from prepared copies. Linear codes
        // are looked for in the tiles only: across the whole frame they cost
        // several times as much, and a code makes a busy region.
        const std::vector<std::function<void()>> retries = {
            [&] { read_tiles(stretch_contrast(image_), regions_, thorough_, true); },
            [&] {
                auto global = thorough_;
                global.setBinarizer(ZXing::Binarizer::GlobalHistogram);
                read_tiles(image_, regions_, global, true);
            },
            [&] { read_tiles(threshold(image_, 60), regions_, thorough_, true); },
            // The matrix detectors sample differently at other orientations.
            [&] { read_tiles(image_, regions_, thorough_, true, 1); },
            // Last, as the dearest: a whole-frame matrix read, for a symbol
            // no busy region covers.
            [&] { read_matrix(image_, thorough_, frame_pass()); },
        };
        for (const auto& retry : retries) {
            if (out_of_time()) break;
            retry();
            if (!found_.empty()) break;
        }
        return found_;
    }

  private:
    using Clock = std::chrono::steady_clock;

    bool done() const { return options_.stop_at_first && !found_.empty(); }
    bool out_of_time() const { return deadline_ && Clock::now() > *deadline_; }
    Pass frame_pass() const { return Pass{1, 0, 0, image_.width, image_.height}; }

    ZXing::DecodeHints linear(ZXing::DecodeHints hints, bool downscale) const {
        return hints.setFormats(linear_formats).setMaxNumberOfSymbols(1).setTryDownscale(downscale);
    }

    // One at a time, blanking each in `image` (see reader.h).
    void read_linear(GrayImage& image, const ZXing::DecodeHints& hints, bool downscale) {
        if (out_of_time()) return;
        auto one = linear(hints, downscale);
        for (int i = 0; i < options_.max_linear_codes; ++i) {
            auto r = read_one(image, one);
            if (!r.isValid()) break;
            add_unique(found_, to_decoded(r, frame_pass()));
            if (done()) return;
            const auto& p = r.position();
            blank_quadrilateral(image,
                                {p[0].x, p[0].y, p[1].x, p[1].y, p[2].x, p[2].y, p[3].x, p[3].y});
        }
    }

    bool read_matrix(const GrayImage& image, ZXing::DecodeHints hints, const Pass& pass) {
        hints.setFormats(matrix_formats).setTryDownscale(false);
        bool read = false;
        for (const auto& r : read_many(image, hints))
            if (r.isValid()) {
                add_unique(found_, to_decoded(r, pass));
                read = true;
            }
        return read;
    }

    static std::array<int, 8> flat_corners(const Decoded& d) {
        const auto& c = d.corners;
        return {c[0].x, c[0].y, c[1].x, c[1].y, c[2].x, c[2].y, c[3].x, c[3].y};
    }

    void blank_found(GrayImage& image) const {
        for (const auto& d : found_) blank_quadrilateral(image, flat_corners(d));
    }

    // A region whose centre lies in a code already read is that code.
    bool explained(const Region& region) const {
        int x = region.x + region.width / 2, y = region.y + region.height / 2;
        return std::any_of(found_.begin(), found_.end(), [&](const Decoded& d) {
            auto box = blank_area(image_, flat_corners(d));
            return x >= box.x && y >= box.y && x < box.x + box.width && y < box.y + box.height;
        });
    }

    // Each region cut out as a square around its centre (turned clockwise by
    // `turns`) and read for every symbology; when `widen`, once more twice
    // as wide if the tight cut yields nothing. A cut larger than the frame
    // would cost more than the frame: the frame itself is read instead, once.
    void read_tiles(const GrayImage& image, const std::vector<Region>& regions,
                    const ZXing::DecodeHints& hints, bool widen, int turns = 0) {
        const auto one = linear(hints, false);
        const long long area = static_cast<long long>(image.width) * image.height;
        bool whole_read = false;
        for (const auto& region : regions) {
            if (out_of_time()) return;
            if (explained(region)) continue;
            for (int grow : {0, region.width / 2}) {
                if (grow > 0 && !widen) break;
                int side = region.width + 2 * grow;
                if (static_cast<long long>(side) * side > area) {
                    if (!whole_read && !out_of_time() && turns == 0)
                        read_matrix(image, hints, frame_pass());
                    whole_read = true;
                    break;
                }
                Pass at{1, 0, turns, side, side, region.x - grow, region.y - grow};
                auto tile = rotate(crop(image, at.offset_x, at.offset_y, side, side), turns);
                bool read = false;
                if (grow == 0) {
                    auto r = read_one(tile, one);
                    if (r.isValid()) {
                        add_unique(found_, to_decoded(r, at));
                        read = true;
                    }
                    if (done()) return;
                }
                read = read_matrix(tile, hints, at) || read;
                bool whole = at.offset_x <= 0 && at.offset_y <= 0 &&
                             at.offset_x + side >= image.width &&
                             at.offset_y + side >= image.height;
                if (read || whole || out_of_time()) break;
            }
            if (done()) return;
        }
    }

    const GrayImage& image_;
    const ScanOptions& options_;
    std::vector<Decoded>& found_;
    std::vector<Region> regions_;
    ZXing::DecodeHints quick_, thorough_;  // try harder, rotate and downscale are on by default
    std::optional<Clock::time_point> deadline_;  // set after the quick pass
};

}  // namespace

std::vector<Decoded> read_barcodes(const GrayImage& image, const ScanOptions& options) {
    std::vector<Decoded> found;
    if (image.width <= 0 || image.height <= 0) return found;
    // A camera frame with no contrast, or no cluster of sharp edges, holds
    // no code: nothing to try.
    if (std::min(image.width, image.height) >= 320) {
        if (flat(image)) return found;
        return CameraFrame(image, options, found).read();
    }
    // Small images are close-ups of one code, cheap to read whole, and get
    // every pass and every retry.
    ZXing::DecodeHints hints;  // try harder, rotate and downscale are on by default
    const int n = options.max_linear_codes;
    auto pass = [&](double scale, int margin, int turns = 0) {
        return Pass{scale, margin, turns, image.width, image.height};
    };
    auto quick = hints;
    quick.setTryHarder(false).setTryRotate(false);
    read_all(image, quick, pass(1, 0), n, found);
    if (!found.empty() && options.stop_at_first) return found;
    read_all(image, hints, pass(1, 0), n, found);
    if (!found.empty() || !options.retries) return found;

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
    // For images up to 800 pixels long, enlarged copies and a quiet zone:
    // modules of a pixel or two, codes printed to the edge.
    const std::vector<std::function<void()>> small_image_retries = {
        [&] { read_all(resize(image, 1.5), hints, pass(1.5, 0), n, found); },
        [&] { read_all(resize(image, 2.0), hints, pass(2.0, 0), n, found); },
        [&] { read_all(pad(image, 8), hints, pass(1, 8), n, found); },
        [&] { read_all(resize(pad(image, 8), 2.0), hints, pass(2.0, 8), n, found); },
        [&] { read_all(resize(rotate(image, 1), 2.0), hints, pass(2.0, 0, 1), n, found); },
        // Last, a DataMatrix with uneven modules, drawn again from its own
        // timing edges (see regrid_by_timing).
        [&] {
            auto regridded = regrid_by_timing(image);
            if (!regridded) return;
            auto matrix = hints;
            matrix.setFormats(BarcodeFormat::DataMatrix);
            const auto& s = regridded->symbol;
            for (const auto& r : read_many(regridded->image, matrix)) {
                if (!r.isValid()) continue;
                auto d = to_decoded(r, pass(1, 0));
                d.corners = {Point{s.x, s.y}, Point{s.x + s.width - 1, s.y},
                             Point{s.x + s.width - 1, s.y + s.height - 1},
                             Point{s.x, s.y + s.height - 1}};
                add_unique(found, std::move(d));
            }
        },
    };
    for (const auto& retry : retries) {
        retry();
        if (!found.empty()) return found;
    }
    if (std::max(image.width, image.height) > small_frame) return found;
    for (const auto& retry : small_image_retries) {
        retry();
        if (!found.empty()) return found;
    }
    return found;
}

}  // namespace fieldflow::scan
