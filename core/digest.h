#pragma once
// SHA-256 (OpenSSL) and the hex spelling of digests, for the places that
// name content by its hash: a shelf photo, an imported file, a device
// credential, an audit entry.

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace fieldflow::core {

using Sha256Digest = std::array<unsigned char, 32>;

// SHA-256 fed piece by piece. The algorithm is fetched from OpenSSL's
// provider once per process: fetching it for every digest, as the
// EVP_sha256() shorthand does, cost more than hashing a record.
class Sha256 {
  public:
    Sha256();
    ~Sha256();
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;

    Sha256& update(const void* data, std::size_t size);
    Sha256& update(std::string_view text) { return update(text.data(), text.size()); }
    // The digest of everything fed since construction or the last finish();
    // the hasher starts over afterwards.
    Sha256Digest finish();

  private:
    struct Context;
    std::unique_ptr<Context> context_;
};

Sha256Digest sha256(std::span<const std::byte> bytes);

std::string hex(std::span<const unsigned char> bytes);
// The same for bytes as a store's blob holds them.
std::string hex(std::span<const std::byte> bytes);

// Hex SHA-256 of a file's bytes; nullopt when it cannot be read.
std::optional<std::string> sha256_hex_of_file(const std::string& path);

}  // namespace fieldflow::core
