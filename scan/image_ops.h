#pragma once
// Pixel operations that prepare a frame for another decoding attempt.

#include <array>

#include "scan/image.h"

namespace fieldflow::scan {

// Maps the darkest and brightest 1 % of pixels to black and white.
GrayImage stretch_contrast(const GrayImage& image);
// Bilinear resampling by `factor`.
GrayImage resize(const GrayImage& image, double factor);
// A white quiet zone of `margin` pixels around the frame.
GrayImage pad(const GrayImage& image, int margin);
// Black below `level`, white from it up.
GrayImage threshold(const GrayImage& image, int level);
// Paints the quadrilateral (x0,y0 … x3,y3, in order) white, with a margin,
// so that a code already read is not read again.
void blank_quadrilateral(GrayImage& image, const std::array<int, 8>& corners);

}  // namespace fieldflow::scan
