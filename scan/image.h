#pragma once
// Camera frames as 8-bit grayscale, from PNG, JPEG, PGM (stb) or WebP
// (libwebp) files or memory. Failures are values naming the file.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace fieldflow::scan {

struct GrayImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;  // row-major, width * height

    std::uint8_t at(int x, int y) const { return pixels[static_cast<std::size_t>(y) * width + x]; }
};

struct ImageLoad {
    std::optional<GrayImage> image;
    std::string error;  // set when image is empty
};

ImageLoad load_image(const std::filesystem::path& path);
ImageLoad decode_image(std::span<const std::uint8_t> bytes, const std::string& name);

// The image turned clockwise by 90° × quarter_turns.
GrayImage rotate(const GrayImage& image, int quarter_turns);

}  // namespace fieldflow::scan
