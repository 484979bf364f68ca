#pragma once
// SHA-256 (OpenSSL) of files and the hex spelling of digests, for the
// places that name content by its hash: a shelf photo, an imported file, a
// device credential.

#include <optional>
#include <span>
#include <string>

namespace fieldflow::core {

std::string hex(std::span<const unsigned char> bytes);

// Hex SHA-256 of a file's bytes; nullopt when it cannot be read.
std::optional<std::string> sha256_hex_of_file(const std::string& path);

}  // namespace fieldflow::core
