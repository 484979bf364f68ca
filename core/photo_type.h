#pragma once
// What a photo sent from the field may be: a JPEG or a PNG, told by its
// first bytes (the camera's own formats), never by a name or a type the
// sender claims.

#include <cstddef>
#include <span>
#include <string_view>

namespace fieldflow::core {

// "image/jpeg" or "image/png"; empty for anything else.
std::string_view photo_content_type(std::span<const std::byte> head);

// The bytes photo_content_type() needs to decide.
inline constexpr std::size_t photo_signature_bytes = 8;

}  // namespace fieldflow::core
