#pragma once
// A check-in's exact fix, sealed apart from the rest of its record, so that
// it can be dropped when its retention ends without breaking the audit
// chain (docs/operations.md, "Personal data").
//
// The record's audit digest covers its envelope with the fix's 16 bytes
// (lat and lon, as schemas/record_codec.h finds them) blanked, where they
// lie, and a seal: SHA-256 of a random nonce and those 16 bytes. The nonce
// is kept beside the record while the fix is. Dropping the fix blanks its
// bytes and deletes the nonce; the digest is unchanged, so the record's
// entry still holds, and the redaction has an entry of its own. Without
// the nonce the seal cannot be searched for the fix: a terminal's
// surroundings to the centimetre are a few 10^10 guesses, which a bare
// hash of the fix would not withstand.

#include "core/digest.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace fieldflow::store {

inline constexpr std::size_t fix_size = 16;  // lat then lon, two Float64
using FixNonce = std::array<std::byte, 16>;

FixNonce new_fix_nonce();
core::Sha256Digest fix_seal(const FixNonce& nonce, std::span<const std::byte> fix);
// What a dropped fix reads as: two quiet NaNs, which no device's fix is
// (the gateway rejects a check-in without a finite position) and which
// the travel and distance rules take for no position at all.
std::span<const std::byte, fix_size> blank_fix();
// The `fix_size` bytes at `at`, when `raw` holds them.
std::span<const std::byte> fix_in(std::span<const std::byte> raw, std::int64_t at);

// A fix as the store keeps it beside its record: fix_at, fix_seal, fix_nonce.
struct SealedFix {
    std::int64_t at = 0;
    FixNonce nonce{};
    core::Sha256Digest seal{};
};
// The fix at `fix_at` in `raw` sealed with a new nonce; nullopt for none.
std::optional<SealedFix> seal_fix(std::span<const std::byte> raw,
                                  std::optional<std::size_t> fix_at);

}  // namespace fieldflow::store
