#include "core/photo_type.h"

#include <algorithm>
#include <array>

namespace fieldflow::core {

namespace {

template <std::size_t N>
bool starts_with(std::span<const std::byte> head, const std::array<unsigned char, N>& magic) {
    return head.size() >= N &&
           std::equal(magic.begin(), magic.end(), head.begin(),
                      [](unsigned char m, std::byte b) { return std::byte{m} == b; });
}

// JPEG: start of image, then the marker of the next segment. PNG: its
// eight-byte signature, which a text transfer would have damaged.
constexpr std::array<unsigned char, 3> jpeg{0xFF, 0xD8, 0xFF};
constexpr std::array<unsigned char, 8> png{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

}  // namespace

std::string_view photo_content_type(std::span<const std::byte> head) {
    if (starts_with(head, jpeg)) return "image/jpeg";
    if (starts_with(head, png)) return "image/png";
    return {};
}

}  // namespace fieldflow::core
