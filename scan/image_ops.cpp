#include "scan/image_ops.h"

#include <algorithm>
#include <cmath>

namespace fieldflow::scan {

GrayImage stretch_contrast(const GrayImage& image) {
    std::array<std::size_t, 256> histogram{};
    for (auto p : image.pixels) ++histogram[p];
    std::size_t cut = image.pixels.size() / 100, seen = 0;
    int low = 0, high = 255;
    for (int i = 0; i < 256; ++i)
        if ((seen += histogram[i]) > cut) {
            low = i;
            break;
        }
    seen = 0;
    for (int i = 255; i >= 0; --i)
        if ((seen += histogram[i]) > cut) {
            high = i;
            break;
        }
    GrayImage out = image;
    if (high <= low) return out;
    for (auto& p : out.pixels) p = static_cast<std::uint8_t>(std::clamp((p - low) * 255 / (high - low), 0, 255));
    return out;
}

GrayImage resize(const GrayImage& image, double factor) {
    GrayImage out;
    out.width = std::max(1, static_cast<int>(image.width * factor));
    out.height = std::max(1, static_cast<int>(image.height * factor));
    out.pixels.resize(static_cast<std::size_t>(out.width) * out.height);
    for (int y = 0; y < out.height; ++y)
        for (int x = 0; x < out.width; ++x) {
            double sx = std::min(x / factor, image.width - 1.001), sy = std::min(y / factor, image.height - 1.001);
            int x0 = std::max(0, static_cast<int>(sx)), y0 = std::max(0, static_cast<int>(sy));
            int x1 = std::min(x0 + 1, image.width - 1), y1 = std::min(y0 + 1, image.height - 1);
            double ax = sx - x0, ay = sy - y0;
            double v = (1 - ax) * (1 - ay) * image.at(x0, y0) + ax * (1 - ay) * image.at(x1, y0) +
                       (1 - ax) * ay * image.at(x0, y1) + ax * ay * image.at(x1, y1);
            out.pixels[static_cast<std::size_t>(y) * out.width + x] = static_cast<std::uint8_t>(v);
        }
    return out;
}

GrayImage pad(const GrayImage& image, int margin) {
    GrayImage out{image.width + 2 * margin, image.height + 2 * margin, {}};
    out.pixels.assign(static_cast<std::size_t>(out.width) * out.height, 255);
    for (int y = 0; y < image.height; ++y)
        std::copy_n(image.pixels.begin() + static_cast<std::ptrdiff_t>(y) * image.width, image.width,
                    out.pixels.begin() + static_cast<std::ptrdiff_t>(y + margin) * out.width + margin);
    return out;
}

GrayImage threshold(const GrayImage& image, int level) {
    GrayImage out = image;
    for (auto& p : out.pixels) p = p < level ? 0 : 255;
    return out;
}

void blank_quadrilateral(GrayImage& image, const std::array<int, 8>& c) {
    // The bounding box, grown by a tenth of its size: linear codes are
    // reported by their scan line, so the box is widened across it too.
    int x0 = std::min({c[0], c[2], c[4], c[6]}), x1 = std::max({c[0], c[2], c[4], c[6]});
    int y0 = std::min({c[1], c[3], c[5], c[7]}), y1 = std::max({c[1], c[3], c[5], c[7]});
    int grow_x = std::max(8, (x1 - x0) / 10), grow_y = std::max(8, (y1 - y0) / 10);
    if (y1 - y0 < (x1 - x0) / 4) grow_y = std::max(grow_y, (x1 - x0) / 2);
    if (x1 - x0 < (y1 - y0) / 4) grow_x = std::max(grow_x, (y1 - y0) / 2);
    x0 = std::max(0, x0 - grow_x), x1 = std::min(image.width - 1, x1 + grow_x);
    y0 = std::max(0, y0 - grow_y), y1 = std::min(image.height - 1, y1 + grow_y);
    for (int y = y0; y <= y1; ++y)
        std::fill_n(image.pixels.begin() + static_cast<std::ptrdiff_t>(y) * image.width + x0, x1 - x0 + 1, 255);
}

}  // namespace fieldflow::scan
