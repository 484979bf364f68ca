#include "store/fix_seal.h"

#include <openssl/rand.h>

#include <bit>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace fieldflow::store {

FixNonce new_fix_nonce() {
    FixNonce nonce{};
    if (RAND_bytes(reinterpret_cast<unsigned char*>(nonce.data()),
                   static_cast<int>(nonce.size())) != 1)
        throw std::runtime_error("no random bytes for a fix's seal");
    return nonce;
}

core::Sha256Digest fix_seal(const FixNonce& nonce, std::span<const std::byte> fix) {
    core::Sha256 h;
    h.update(nonce.data(), nonce.size());
    h.update(fix.data(), fix.size());
    return h.finish();
}

std::span<const std::byte, fix_size> blank_fix() {
    static const auto blank = [] {
        std::array<std::byte, fix_size> bytes{};
        // Cap'n Proto stores a Float64 little-endian, whatever the host.
        auto nan = std::bit_cast<std::uint64_t>(std::numeric_limits<double>::quiet_NaN());
        for (std::size_t i = 0; i < sizeof nan; ++i)
            bytes[i] = bytes[sizeof nan + i] = static_cast<std::byte>(nan >> (8 * i));
        return bytes;
    }();
    return blank;
}

std::span<const std::byte> fix_in(std::span<const std::byte> raw, std::int64_t at) {
    if (at < 0 || static_cast<std::uint64_t>(at) > raw.size() ||
        raw.size() - static_cast<std::size_t>(at) < fix_size)
        return {};
    return raw.subspan(static_cast<std::size_t>(at), fix_size);
}

std::optional<SealedFix> seal_fix(std::span<const std::byte> raw,
                                  std::optional<std::size_t> fix_at) {
    if (!fix_at) return std::nullopt;
    auto at = static_cast<std::int64_t>(*fix_at);
    auto fix = fix_in(raw, at);
    if (fix.empty()) return std::nullopt;
    SealedFix sealed{at, new_fix_nonce(), {}};
    sealed.seal = fix_seal(sealed.nonce, fix);
    return sealed;
}

}  // namespace fieldflow::store
