#include "scan/image_ops.h"

#include <algorithm>
#include <cmath>

namespace fieldflow::scan {

namespace {
// Grey levels below which and above which 1 % of the pixels lie.
std::pair<int, int> percentiles(const GrayImage& image) {
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
    return {low, high};
}
}  // namespace

bool flat(const GrayImage& image) {
    auto [low, high] = percentiles(image);
    return high - low < 40;
}

GrayImage stretch_contrast(const GrayImage& image) {
    auto [low, high] = percentiles(image);
    GrayImage out = image;
    if (high <= low) return out;
    for (auto& p : out.pixels)
        p = static_cast<std::uint8_t>(std::clamp((p - low) * 255 / (high - low), 0, 255));
    return out;
}

GrayImage resize(const GrayImage& image, double factor) {
    GrayImage out;
    out.width = std::max(1, static_cast<int>(image.width * factor));
    out.height = std::max(1, static_cast<int>(image.height * factor));
    out.pixels.resize(static_cast<std::size_t>(out.width) * out.height);
    for (int y = 0; y < out.height; ++y)
        for (int x = 0; x < out.width; ++x) {
            double sx = std::min(x / factor, image.width - 1.001),
                   sy = std::min(y / factor, image.height - 1.001);
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
        std::copy_n(
            image.pixels.begin() + static_cast<std::ptrdiff_t>(y) * image.width, image.width,
            out.pixels.begin() + static_cast<std::ptrdiff_t>(y + margin) * out.width + margin);
    return out;
}

GrayImage crop(const GrayImage& image, int x, int y, int w, int h) {
    GrayImage out{std::max(0, w), std::max(0, h), {}};
    out.pixels.resize(static_cast<std::size_t>(out.width) * out.height);
    if (image.width == 0 || image.height == 0) return out;
    for (int row = 0; row < out.height; ++row) {
        int sy = std::clamp(y + row, 0, image.height - 1);
        for (int col = 0; col < out.width; ++col)
            out.pixels[static_cast<std::size_t>(row) * out.width + col] =
                image.at(std::clamp(x + col, 0, image.width - 1), sy);
    }
    return out;
}

std::vector<Region> busy_regions(const GrayImage& image, std::size_t max_regions) {
    constexpr int cell = 16;
    int cols = image.width / cell, rows = image.height / cell;
    if (cols < 2 || rows < 2) return {};
    // A sharp edge is a step of a quarter of the frame's contrast range, so
    // that dim and low-contrast frames still show their codes.
    auto stretched = stretch_contrast(image);
    const int edge = 64;
    std::vector<std::uint8_t> busy(static_cast<std::size_t>(cols) * rows, 0);
    for (int cy = 0; cy < rows; ++cy)
        for (int cx = 0; cx < cols; ++cx) {
            int edges = 0;
            for (int y = cy * cell; y < (cy + 1) * cell; y += 2)
                for (int x = cx * cell; x < (cx + 1) * cell - 1; ++x)
                    edges += std::abs(stretched.at(x + 1, y) - stretched.at(x, y)) > edge ||
                             (y + 1 < image.height &&
                              std::abs(stretched.at(x, y + 1) - stretched.at(x, y)) > edge);
            busy[static_cast<std::size_t>(cy) * cols + cx] =
                edges * 10 > cell * cell / 2;  // > 20 % of samples
        }
    // Grow by two cells: solid modules (a DataMatrix's finder edges) make
    // quiet cells inside a symbol, which would otherwise split it.
    auto grown = busy;
    for (int cy = 0; cy < rows; ++cy)
        for (int cx = 0; cx < cols; ++cx)
            if (busy[static_cast<std::size_t>(cy) * cols + cx])
                for (int dy = -2; dy <= 2; ++dy)
                    for (int dx = -2; dx <= 2; ++dx) {
                        int nx = cx + dx, ny = cy + dy;
                        if (nx >= 0 && ny >= 0 && nx < cols && ny < rows)
                            grown[static_cast<std::size_t>(ny) * cols + nx] = 1;
                    }
    busy = std::move(grown);
    // Connected busy cells, by flood fill.
    std::vector<Region> regions;
    std::vector<int> stack;
    std::vector<std::size_t> sizes;
    for (int start = 0; start < cols * rows; ++start) {
        if (busy[start] != 1) continue;
        int x0 = cols, y0 = rows, x1 = -1, y1 = -1;
        std::size_t size = 0;
        stack.assign(1, start);
        busy[start] = 2;
        while (!stack.empty()) {
            int at = stack.back();
            stack.pop_back();
            int cx = at % cols, cy = at / cols;
            x0 = std::min(x0, cx), x1 = std::max(x1, cx), y0 = std::min(y0, cy),
            y1 = std::max(y1, cy);
            ++size;
            for (auto [dx, dy] :
                 {std::pair{1, 0}, std::pair{-1, 0}, std::pair{0, 1}, std::pair{0, -1}}) {
                int nx = cx + dx, ny = cy + dy;
                if (nx < 0 || ny < 0 || nx >= cols || ny >= rows) continue;
                int next = ny * cols + nx;
                if (busy[next] == 1) {
                    busy[next] = 2;
                    stack.push_back(next);
                }
            }
        }
        if (size < 25) continue;  // smaller than any readable symbol (after growing)
        // A square around the region's centre, a fifth wider than the region
        // on each side, so that the symbol sits in the middle of the cut.
        int side = (std::max(x1 - x0, y1 - y0) + 1) * cell * 7 / 5;
        int centre_x = (x0 + x1 + 1) * cell / 2, centre_y = (y0 + y1 + 1) * cell / 2;
        Region r{centre_x - side / 2, centre_y - side / 2, side, side};  // may reach past the frame
        regions.push_back(r);
        sizes.push_back(size);
    }
    std::vector<std::size_t> order(regions.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return sizes[a] > sizes[b]; });
    std::vector<Region> largest;
    for (std::size_t i = 0; i < order.size() && i < max_regions; ++i)
        largest.push_back(regions[order[i]]);
    return largest;
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
        std::fill_n(image.pixels.begin() + static_cast<std::ptrdiff_t>(y) * image.width + x0,
                    x1 - x0 + 1, 255);
}

}  // namespace fieldflow::scan
