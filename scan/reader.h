#pragma once
// Every barcode in a camera frame, read with ZXing-cpp.
//
// Debian's ZXing 1.4 misses some codes with any single setting and aborts
// the process (an assertion in its result de-duplication) when it reads
// several linear codes in one call. So the reader never asks it for several
// linear codes at once: matrix codes (DataMatrix, QR) are read in one
// multi-symbol call, linear codes one at a time, blanking each one found and
// looking again. On camera-sized frames matrix codes are read only in tiles
// cut around the frame's busy regions, since a whole-frame matrix read costs
// several times a frame's whole budget. Only when a frame yields nothing
// does it retry on prepared copies (contrast-stretched, rescaled, padded
// with a quiet zone, other binarisers) — a frame with a code pays for one or
// two passes, an empty frame for all of them, within a time budget on large
// frames (docs/benchmarks.md has the figures).

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/scan_content.h"
#include "scan/image.h"

namespace fieldflow::scan {

struct Point {
    int x = 0, y = 0;
};

struct Decoded {
    core::Symbology symbology = core::Symbology::unknown;
    std::string text;  // as read, UTF-8; GS1 FNC1 as ASCII 29
    std::string aim;   // AIM symbology identifier, e.g. "]d2"; "]d2" and "]C1" mean GS1
    std::vector<std::uint8_t> bytes;  // the content before any character-set conversion
    std::array<Point, 4> corners{};

    // What classify() expects: the AIM identifier, then the text.
    std::string content() const { return aim + text; }
};

struct ScanOptions {
    bool retries = true;       // retry an empty frame on prepared copies
    int max_linear_codes = 8;  // linear codes looked for in one frame
    // A live preview wants the first code fast; a photo of a shelf wants
    // every code in it (a second, thorough pass even after a quick find).
    bool stop_at_first = false;
    // Time for a camera-sized frame (320 pixels or more on the shorter
    // side): its quick pass always completes; each later step (a tile, a
    // whole-frame read, a retry) begins only within this time from the
    // start, so that a busy frame without a code does not stall the handheld.
    std::chrono::milliseconds budget{25};
};

std::vector<Decoded> read_barcodes(const GrayImage& image, const ScanOptions& options = {});

}  // namespace fieldflow::scan
