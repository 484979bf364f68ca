#pragma once
// Pixel operations that prepare a frame for another decoding attempt.

#include <array>
#include <cstddef>
#include <optional>
#include <vector>

#include "scan/image.h"

namespace fieldflow::scan {

// True when the darkest and brightest 0.1 % of pixels are less than 40 grey
// levels apart: no printed code looks like that. (A small code in a large
// frame can be less than 1 % of its pixels.)
bool flat(const GrayImage& image);
// Maps the darkest and brightest 1 % of pixels to black and white.
GrayImage stretch_contrast(const GrayImage& image);
// Bilinear resampling by `factor`.
GrayImage resize(const GrayImage& image, double factor);
// A white quiet zone of `margin` pixels around the frame.
GrayImage pad(const GrayImage& image, int margin);
// The w × h window at (x, y); past the image's edge, its edge pixels repeat.
GrayImage crop(const GrayImage& image, int x, int y, int w, int h);
struct Region {
    int x = 0, y = 0, width = 0, height = 0;
};
// Parts of the frame dense with sharp edges, where codes are likely to be:
// connected cells of strong gradients, each with a margin, largest first,
// at most `max_regions`.
std::vector<Region> busy_regions(const GrayImage& image, std::size_t max_regions = 12);
// A DataMatrix whose modules are not all one size (a stretched or worn
// print), axis-aligned in a close-up: its two timing edges, read as runs,
// give every column's and row's true extent, and each module is sampled at
// the centre of its cell and drawn again at 5 pixels a module with a quiet
// zone. Empty unless two adjacent edges of the dark area are solid and the
// other two alternate with an even number of runs, as a DataMatrix's do.
struct Regridded {
    GrayImage image;
    Region symbol;  // where the symbol is in the image
};
std::optional<Regridded> regrid_by_timing(const GrayImage& image);
// Black below `level`, white from it up.
GrayImage threshold(const GrayImage& image, int level);
// Paints the quadrilateral (x0,y0 … x3,y3, in order) white, with a margin,
// so that a code already read is not read again.
void blank_quadrilateral(GrayImage& image, const std::array<int, 8>& corners);
// The part of the image blank_quadrilateral paints: a linear code is reported
// by its scan line, so its box reaches half its length across that line.
Region blank_area(const GrayImage& image, const std::array<int, 8>& corners);

}  // namespace fieldflow::scan
