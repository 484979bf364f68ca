#include "scan/image_ops.h"

#include <algorithm>
#include <cmath>

namespace fieldflow::scan {

namespace {
// Grey levels below which and above which a `per_mille` share of the pixels lie.
std::pair<int, int> percentiles(const GrayImage& image, std::size_t per_mille = 10) {
    // Four histograms filled in turn and then summed: consecutive pixels of
    // one grey level would otherwise wait on each other's increment.
    std::array<std::array<std::uint32_t, 256>, 4> partial{};
    const auto* p = image.pixels.data();
    const std::size_t n = image.pixels.size();
    std::size_t at = 0;
    for (; at + 4 <= n; at += 4) {
        ++partial[0][p[at]];
        ++partial[1][p[at + 1]];
        ++partial[2][p[at + 2]];
        ++partial[3][p[at + 3]];
    }
    for (; at < n; ++at) ++partial[0][p[at]];
    std::array<std::size_t, 256> histogram{};
    for (int level = 0; level < 256; ++level)
        histogram[level] = std::size_t{partial[0][level]} + partial[1][level] + partial[2][level] +
                           partial[3][level];
    std::size_t cut = image.pixels.size() * per_mille / 1000, seen = 0;
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
    auto [low, high] = percentiles(image, 1);
    return high - low < 40;
}

namespace {
// The grey level each level maps to when the frame's contrast is stretched:
// a table, so that a pixel costs a look-up rather than a division.
std::array<std::uint8_t, 256> stretch_table(const GrayImage& image, std::size_t per_mille = 10) {
    auto [low, high] = percentiles(image, per_mille);
    std::array<std::uint8_t, 256> table{};
    for (int i = 0; i < 256; ++i)
        table[i] =
            high <= low
                ? static_cast<std::uint8_t>(i)
                : static_cast<std::uint8_t>(std::clamp((i - low) * 255 / (high - low), 0, 255));
    return table;
}
}  // namespace

GrayImage stretch_contrast(const GrayImage& image) {
    auto table = stretch_table(image);
    GrayImage out = image;
    for (auto& p : out.pixels) p = table[p];
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
    // Inside the image a row is one copy; only the columns past its edges
    // are filled pixel by pixel.
    int inside_from = std::clamp(-x, 0, out.width),
        inside_to = std::clamp(image.width - x, 0, out.width);
    for (int row = 0; row < out.height; ++row) {
        int sy = std::clamp(y + row, 0, image.height - 1);
        auto* to = out.pixels.data() + static_cast<std::size_t>(row) * out.width;
        const auto* from = image.pixels.data() + static_cast<std::size_t>(sy) * image.width;
        std::fill(to, to + inside_from, from[0]);
        if (inside_to > inside_from)
            std::copy(from + x + inside_from, from + x + inside_to, to + inside_from);
        std::fill(to + std::max(inside_from, inside_to), to + out.width, from[image.width - 1]);
    }
    return out;
}

std::vector<Region> busy_regions(const GrayImage& image, std::size_t max_regions) {
    constexpr int cell = 16;
    int cols = image.width / cell, rows = image.height / cell;
    if (cols < 2 || rows < 2) return {};
    // A sharp edge is a step of a quarter of the frame's contrast range, so
    // that dim and low-contrast frames still show their codes.
    // The range from the darkest to the brightest 0.1 %: a small code in a
    // large frame is less than 1 % of its pixels, and stretching the
    // background's noise to the full range would make every cell busy.
    const auto stretched = stretch_table(image, 1);
    const int edge = 64;
    std::vector<std::uint8_t> busy(static_cast<std::size_t>(cols) * rows, 0);
    std::vector<int> edges(cols);
    // Row by row rather than cell by cell, so that memory is read in order.
    // Every other row is sampled, but a step down is looked for below it and
    // below the next row: bars printed across the rows with modules of two
    // pixels would otherwise have every edge between the rows sampled.
    for (int cy = 0; cy < rows; ++cy) {
        std::fill(edges.begin(), edges.end(), 0);
        for (int y = cy * cell; y < (cy + 1) * cell; y += 2) {
            const auto* row = image.pixels.data() + static_cast<std::size_t>(y) * image.width;
            const auto* below = y + 1 < image.height ? row + image.width : nullptr;
            const auto* next = y + 2 < image.height ? below + image.width : nullptr;
            for (int cx = 0; cx < cols; ++cx) {
                int n = 0;
                for (int x = cx * cell; x < (cx + 1) * cell - 1; ++x) {
                    int here = stretched[row[x]];
                    n += std::abs(stretched[row[x + 1]] - here) > edge ||
                         (below && std::abs(stretched[below[x]] - here) > edge) ||
                         (next && std::abs(stretched[next[x]] - stretched[below[x]]) > edge);
                }
                edges[cx] += n;
            }
        }
        for (int cx = 0; cx < cols; ++cx)
            busy[static_cast<std::size_t>(cy) * cols + cx] =
                edges[cx] * 10 > cell * cell / 2;  // > 20 % of samples
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

std::optional<Regridded> regrid_by_timing(const GrayImage& image) {
    if (image.width < 10 || image.height < 10) return std::nullopt;
    auto [low, high] = percentiles(image);
    if (high - low < 40) return std::nullopt;
    const int level = (low + high) / 2;
    auto dark = [&](int x, int y) { return image.at(x, y) < level; };
    // The dark area's extent, ignoring rows and columns with a fifth of the
    // darkest one's dark pixels or fewer: a speck beside the symbol.
    std::vector<int> in_column(image.width), in_row(image.height);
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x)
            if (dark(x, y)) ++in_column[x], ++in_row[y];
    const int most_in_column = *std::max_element(in_column.begin(), in_column.end());
    const int most_in_row = *std::max_element(in_row.begin(), in_row.end());
    int x0 = image.width, x1 = -1, y0 = image.height, y1 = -1;
    for (int x = 0; x < image.width; ++x)
        if (in_column[x] * 5 > most_in_column) x0 = std::min(x0, x), x1 = std::max(x1, x);
    for (int y = 0; y < image.height; ++y)
        if (in_row[y] * 5 > most_in_row) y0 = std::min(y0, y), y1 = std::max(y1, y);
    if (x1 - x0 < 9 || y1 - y0 < 9) return std::nullopt;
    // Where each run along an edge starts, and one past the last.
    auto runs = [&](bool along_x, int at, int from, int to) {
        std::vector<int> starts{from};
        bool before = along_x ? dark(from, at) : dark(at, from);
        for (int i = from + 1; i <= to; ++i) {
            bool here = along_x ? dark(i, at) : dark(at, i);
            if (here != before) starts.push_back(i), before = here;
        }
        starts.push_back(to + 1);
        return starts;
    };
    auto top = runs(true, y0, x0, x1), bottom = runs(true, y1, x0, x1);
    auto left = runs(false, x0, y0, y1), right = runs(false, x1, y0, y1);
    auto solid = [&](const std::vector<int>& r, bool along_x, int at) {
        return r.size() == 2 && (along_x ? dark(x0, at) : dark(at, y0));
    };
    auto timing = [](const std::vector<int>& r) {
        return r.size() >= 11 && (r.size() - 1) % 2 == 0;
    };
    const std::vector<int>* columns = nullptr;
    const std::vector<int>* rows = nullptr;
    if (solid(top, true, y0) && timing(bottom)) columns = &bottom;
    if (solid(bottom, true, y1) && timing(top)) columns = &top;
    if (solid(left, false, x0) && timing(right)) rows = &right;
    if (solid(right, false, x1) && timing(left)) rows = &left;
    if (!columns || !rows) return std::nullopt;
    const int n_columns = static_cast<int>(columns->size()) - 1;
    const int n_rows = static_cast<int>(rows->size()) - 1;
    constexpr int module = 5, quiet = 4;
    GrayImage out{(n_columns + 2 * quiet) * module, (n_rows + 2 * quiet) * module, {}};
    out.pixels.assign(static_cast<std::size_t>(out.width) * out.height, 255);
    for (int r = 0; r < n_rows; ++r)
        for (int c = 0; c < n_columns; ++c) {
            int x = ((*columns)[c] + (*columns)[c + 1] - 1) / 2;
            int y = ((*rows)[r] + (*rows)[r + 1] - 1) / 2;
            if (!dark(x, y)) continue;
            for (int dy = 0; dy < module; ++dy)
                std::fill_n(out.pixels.begin() +
                                static_cast<std::ptrdiff_t>((r + quiet) * module + dy) * out.width +
                                (c + quiet) * module,
                            module, 0);
        }
    return Regridded{std::move(out), {x0, y0, x1 - x0 + 1, y1 - y0 + 1}};
}

GrayImage threshold(const GrayImage& image, int level) {
    GrayImage out = image;
    for (auto& p : out.pixels) p = p < level ? 0 : 255;
    return out;
}

Region blank_area(const GrayImage& image, const std::array<int, 8>& c) {
    // The bounding box, grown by a tenth of its size: linear codes are
    // reported by their scan line, so the box is widened across it too.
    int x0 = std::min({c[0], c[2], c[4], c[6]}), x1 = std::max({c[0], c[2], c[4], c[6]});
    int y0 = std::min({c[1], c[3], c[5], c[7]}), y1 = std::max({c[1], c[3], c[5], c[7]});
    int grow_x = std::max(8, (x1 - x0) / 10), grow_y = std::max(8, (y1 - y0) / 10);
    if (y1 - y0 < (x1 - x0) / 4) grow_y = std::max(grow_y, (x1 - x0) / 2);
    if (x1 - x0 < (y1 - y0) / 4) grow_x = std::max(grow_x, (y1 - y0) / 2);
    x0 = std::max(0, x0 - grow_x), x1 = std::min(image.width - 1, x1 + grow_x);
    y0 = std::max(0, y0 - grow_y), y1 = std::min(image.height - 1, y1 + grow_y);
    return {x0, y0, std::max(0, x1 - x0 + 1), std::max(0, y1 - y0 + 1)};
}

void blank_quadrilateral(GrayImage& image, const std::array<int, 8>& corners) {
    auto box = blank_area(image, corners);
    for (int y = box.y; y < box.y + box.height; ++y)
        std::fill_n(image.pixels.begin() + static_cast<std::ptrdiff_t>(y) * image.width + box.x,
                    box.width, 255);
}

}  // namespace fieldflow::scan
