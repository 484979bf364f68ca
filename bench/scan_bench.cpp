// Milliseconds per camera frame for the reader as shipped: 640×480 and
// 1280×720 frames holding one code of each symbology, and holding none.
// Codes are written with ZXing's writer (square DataMatrix, GS1
// DataMatrix and GS1 DataBar with libzint), pasted off-centre on a mid-grey frame with mild
// noise. Each case runs `--runs` times; median and maximum are reported.

#define ZX_USE_UTF8 1
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <zint.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "scan/image_ops.h"
#include "scan/reader.h"

using namespace fieldflow::scan;

namespace {

GrayImage written(ZXing::BarcodeFormat format, const std::string& text, int w, int h) {
    auto m = ZXing::ToMatrix<std::uint8_t>(
        ZXing::MultiFormatWriter(format).setMargin(10).encode(text, w, h));
    GrayImage g{m.width(), m.height(), {}};
    g.pixels.assign(m.data(), m.data() + m.size());
    return g;
}

// A code written by libzint: square DataMatrix at 5 pixels per module,
// DataBar at 3, and DataBar Expanded at 2 (its 290-odd modules then fit a
// 640-pixel frame, as a hand steps back until they do).
GrayImage zint(int symbology, const std::string& data, bool gs1) {
    std::unique_ptr<zint_symbol, void (*)(zint_symbol*)> s(ZBarcode_Create(), ZBarcode_Delete);
    s->symbology = symbology;
    s->input_mode = gs1 ? GS1_MODE : DATA_MODE;
    s->option_3 = symbology == BARCODE_DATAMATRIX ? DM_SQUARE : 0;
    s->scale = symbology == BARCODE_DATAMATRIX ? 2.5f : symbology == BARCODE_DBAR_EXP ? 1.0f : 1.5f;
    ZBarcode_Encode_and_Buffer(s.get(), reinterpret_cast<const unsigned char*>(data.data()),
                               static_cast<int>(data.size()), 0);
    GrayImage g{s->bitmap_width, s->bitmap_height, {}};
    for (int i = 0; i < g.width * g.height; ++i) g.pixels.push_back(s->bitmap[3 * i]);
    return pad(g, 20);
}

GrayImage frame(int w, int h, const GrayImage* code) {
    std::mt19937 random(7);
    std::normal_distribution<double> noise(0, 6);
    GrayImage f{w, h, std::vector<std::uint8_t>(static_cast<std::size_t>(w) * h, 180)};
    if (code) {
        if (code->width > w || code->height > h)
            throw std::invalid_argument("a code of " + std::to_string(code->width) + "x" +
                                        std::to_string(code->height) + " does not fit a frame of " +
                                        std::to_string(w) + "x" + std::to_string(h));
        // Off-centre, as a hand holds it, and whole within the frame.
        int x0 = std::clamp(w / 3 - code->width / 2, 0, w - code->width),
            y0 = std::clamp(h / 3 - code->height / 2, 0, h - code->height);
        for (int y = 0; y < code->height; ++y)
            for (int x = 0; x < code->width; ++x)
                f.pixels[static_cast<std::size_t>(y + y0) * w + x + x0] = code->at(x, y);
    }
    for (auto& p : f.pixels)
        p = static_cast<std::uint8_t>(std::clamp(p + noise(random), 0.0, 255.0));
    return f;
}

// A shelf without a code: boxes of other greys with printed-looking edges.
GrayImage textured(int w, int h) {
    std::mt19937 random(11);
    GrayImage f{w, h, std::vector<std::uint8_t>(static_cast<std::size_t>(w) * h, 170)};
    for (int i = 0; i < 60; ++i) {
        int x0 = static_cast<int>(random() % w), y0 = static_cast<int>(random() % h);
        int bw = 20 + static_cast<int>(random() % 200), bh = 8 + static_cast<int>(random() % 60);
        auto grey = static_cast<std::uint8_t>(random() % 256);
        for (int y = y0; y < std::min(h, y0 + bh); ++y)
            for (int x = x0; x < std::min(w, x0 + bw); ++x)
                f.pixels[static_cast<std::size_t>(y) * w + x] = grey;
    }
    return f;
}

}  // namespace

int main(int argc, char** argv) {
    int runs = 30;
    std::string only;  // --case: only the contents whose name holds this
    for (int i = 1; i + 1 < argc; ++i)
        if (!std::strcmp(argv[i], "--runs"))
            runs = std::max(1, std::atoi(argv[i + 1]));
        else if (!std::strcmp(argv[i], "--case"))
            only = argv[i + 1];

    struct Case {
        const char* name;
        GrayImage code;
        bool empty = false;
    };
    std::vector<Case> cases = {
        {"ean13", written(ZXing::BarcodeFormat::EAN13, "6901234567892", 300, 120)},
        {"ean8", written(ZXing::BarcodeFormat::EAN8, "96385074", 200, 100)},
        {"upca", written(ZXing::BarcodeFormat::UPCA, "036000291452", 300, 120)},
        {"code128 (trace code)",
         written(ZXing::BarcodeFormat::Code128, "86123450001234567890", 360, 110)},
        {"itf14", written(ZXing::BarcodeFormat::ITF, "10614141000415", 360, 110)},
        {"qr", written(ZXing::BarcodeFormat::QRCode, "https://fieldflow.example/p/1", 180, 180)},
        {"datamatrix", zint(BARCODE_DATAMATRIX, "86123450001234567890", false)},
        {"gs1 datamatrix",
         zint(BARCODE_DATAMATRIX, "[01]06901234567892[17]261231[10]LOT42[21]SN0001", true)},
        {"databar", zint(BARCODE_DBAR_OMN, "0690123456789", false)},
        {"databar expanded", zint(BARCODE_DBAR_EXP, "[01]06901234567892[17]261231[10]LOT42", true)},
        {"no code (flat)", {}, true},
        {"no code (textured)", {}, true},
    };
    std::printf(
        "| frame | content | mode | read | median ms | max ms |\n|---|---|---|---|---|---|\n");
    for (bool first : {true, false})
        for (auto [w, h] : {std::pair{640, 480}, std::pair{1280, 720}}) {
            for (const auto& c : cases) {
                if (std::string(c.name).find(only) == std::string::npos) continue;
                auto f = std::string(c.name) == "no code (textured)"
                             ? textured(w, h)
                             : frame(w, h, c.empty ? nullptr : &c.code);
                std::vector<double> ms;
                std::size_t found = 0;
                for (int r = 0; r < runs; ++r) {
                    auto start = std::chrono::steady_clock::now();
                    ScanOptions options;
                    options.stop_at_first = first;
                    found = read_barcodes(f, options).size();
                    ms.push_back(std::chrono::duration<double, std::milli>(
                                     std::chrono::steady_clock::now() - start)
                                     .count());
                }
                std::sort(ms.begin(), ms.end());
                std::printf("| %dx%d | %s | %s | %s | %.1f | %.1f |\n", w, h, c.name,
                            first ? "first code" : "every code",
                            c.empty ? (found == 0 ? "nothing (right)" : "FALSE READ")
                                    : (found == 1 ? "yes" : "NO"),
                            ms[ms.size() / 2], ms.back());
            }
        }
}
