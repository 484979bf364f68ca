#include "scan/image.h"

#include <stb_image.h>
#include <webp/decode.h>

#include <fstream>
#include <iterator>
#include <memory>

namespace fieldflow::scan {

namespace {

// Frames larger than this are not camera frames; refusing them bounds memory.
constexpr long long max_pixels = 40'000'000;

bool is_webp(std::span<const std::uint8_t> bytes) {
    return bytes.size() >= 12 && std::equal(bytes.begin(), bytes.begin() + 4, "RIFF") &&
           std::equal(bytes.begin() + 8, bytes.begin() + 12, "WEBP");
}

ImageLoad decode_webp(std::span<const std::uint8_t> bytes, const std::string& name) {
    int width = 0, height = 0;
    if (!WebPGetInfo(bytes.data(), bytes.size(), &width, &height))
        return {std::nullopt, name + ": not a readable WebP image"};
    if (static_cast<long long>(width) * height > max_pixels)
        return {std::nullopt, name + ": image too large"};
    std::unique_ptr<std::uint8_t, void (*)(void*)> rgb(
        WebPDecodeRGB(bytes.data(), bytes.size(), &width, &height), WebPFree);
    if (!rgb) return {std::nullopt, name + ": corrupt WebP data"};
    GrayImage image{width, height,
                    std::vector<std::uint8_t>(static_cast<std::size_t>(width) * height)};
    for (std::size_t i = 0; i < image.pixels.size(); ++i) {
        const std::uint8_t* p = rgb.get() + 3 * i;
        image.pixels[i] = static_cast<std::uint8_t>((299 * p[0] + 587 * p[1] + 114 * p[2]) / 1000);
    }
    return {std::move(image), {}};
}

}  // namespace

ImageLoad decode_image(std::span<const std::uint8_t> bytes, const std::string& name) {
    if (bytes.empty()) return {std::nullopt, name + ": empty file"};
    if (is_webp(bytes)) return decode_webp(bytes, name);
    int width = 0, height = 0, channels = 0;
    if (!stbi_info_from_memory(bytes.data(), static_cast<int>(bytes.size()), &width, &height,
                               &channels))
        return {std::nullopt,
                name + ": not a PNG, JPEG, PGM or WebP image (" + stbi_failure_reason() + ")"};
    if (static_cast<long long>(width) * height > max_pixels)
        return {std::nullopt, name + ": image too large"};
    std::unique_ptr<stbi_uc, void (*)(void*)> gray(
        stbi_load_from_memory(bytes.data(), static_cast<int>(bytes.size()), &width, &height,
                              &channels, 1),
        stbi_image_free);
    if (!gray) return {std::nullopt, name + ": corrupt image data (" + stbi_failure_reason() + ")"};
    GrayImage image{width, height, {}};
    image.pixels.assign(gray.get(), gray.get() + static_cast<std::size_t>(width) * height);
    return {std::move(image), {}};
}

ImageLoad load_image(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {std::nullopt, path.string() + ": cannot open file"};
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                    std::istreambuf_iterator<char>());
    return decode_image(bytes, path.string());
}

GrayImage rotate(const GrayImage& image, int quarter_turns) {
    int turns = ((quarter_turns % 4) + 4) % 4;
    if (turns == 0) return image;
    GrayImage out;
    out.width = turns == 2 ? image.width : image.height;
    out.height = turns == 2 ? image.height : image.width;
    out.pixels.resize(image.pixels.size());
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) {
            int nx = 0, ny = 0;
            if (turns == 1)
                nx = image.height - 1 - y, ny = x;
            else if (turns == 2)
                nx = image.width - 1 - x, ny = image.height - 1 - y;
            else
                nx = y, ny = image.width - 1 - x;
            out.pixels[static_cast<std::size_t>(ny) * out.width + nx] = image.at(x, y);
        }
    return out;
}

}  // namespace fieldflow::scan
