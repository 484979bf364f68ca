#pragma once
// Codes drawn in memory and the camera's harm done to them, for the suites
// that read generated images back: libzint writes what ZXing 1.4 cannot
// (GS1 DataMatrix, DataBar), and a frame is turned or made noisy the way a
// handheld's camera would.

#include <doctest/doctest.h>
#include <zint.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "scan/image.h"

namespace fieldflow::scan::testing {

// `scale` is pixels per module; `option_3` as libzint takes it (DM_SQUARE...).
inline GrayImage zint_image(int symbology, int input_mode, const std::string& data, int scale,
                            int option_3 = 0) {
    std::unique_ptr<zint_symbol, void (*)(zint_symbol*)> symbol(ZBarcode_Create(), ZBarcode_Delete);
    symbol->symbology = symbology;
    symbol->input_mode = input_mode;
    symbol->option_3 = option_3;
    symbol->scale = static_cast<float>(scale) / 2;  // zint draws 2 pixels per module at scale 1
    REQUIRE(ZBarcode_Encode_and_Buffer(symbol.get(),
                                       reinterpret_cast<const unsigned char*>(data.data()),
                                       static_cast<int>(data.size()), 0) < ZINT_ERROR);
    GrayImage code{symbol->bitmap_width, symbol->bitmap_height, {}};
    for (int i = 0; i < code.width * code.height; ++i) code.pixels.push_back(symbol->bitmap[3 * i]);
    return code;
}

// Turned about its centre; what comes in from outside is the frame's grey.
inline GrayImage rotate_degrees(const GrayImage& image, double degrees) {
    double a = degrees * M_PI / 180, c = std::cos(a), s = std::sin(a);
    GrayImage out{image.width, image.height, std::vector<std::uint8_t>(image.pixels.size(), 235)};
    double cx = image.width / 2.0, cy = image.height / 2.0;
    for (int y = 0; y < out.height; ++y)
        for (int x = 0; x < out.width; ++x) {
            double sx = c * (x - cx) + s * (y - cy) + cx, sy = -s * (x - cx) + c * (y - cy) + cy;
            if (sx >= 0 && sy >= 0 && sx < image.width - 1 && sy < image.height - 1)
                out.pixels[static_cast<std::size_t>(y) * out.width + x] =
                    image.at(static_cast<int>(sx), static_cast<int>(sy));
        }
    return out;
}

// Sensor noise, the same for a given seed on every run.
inline GrayImage noisy(const GrayImage& image, double sigma, unsigned seed) {
    std::mt19937 random(seed);
    std::normal_distribution<double> noise(0, sigma);
    GrayImage out = image;
    for (auto& p : out.pixels)
        p = static_cast<std::uint8_t>(std::clamp(p + noise(random), 0.0, 255.0));
    return out;
}

}  // namespace fieldflow::scan::testing
