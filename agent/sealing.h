#pragma once
// What the handheld keeps of a rep's day, sealed at rest: the outbox's
// records, the open visit, the day's check-ins and the kept photos are each
// encrypted and authenticated with the outbox's data key
// (XChaCha20-Poly1305, libsodium). The key is kept wrapped by the rep's PIN
// (agent/pin_lock.h); a handheld found with its PIN unknown holds only
// ciphertext.
//
// A random 24-byte nonce per sealed value: nothing to count across
// processes and power cuts, and no nonce is ever reused by chance. Each
// value is bound to where it belongs (its context: "record 17", "visit"),
// so that a sealed value moved to another row does not open there.

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace fieldflow::agent {

inline constexpr std::size_t data_key_bytes = 32;
// A sealed value is its nonce, then the ciphertext with its 16-byte tag.
inline constexpr std::size_t sealed_overhead = 24 + 16;

// The outbox's data key, in memory libsodium guards: locked out of swap,
// fenced by guard pages, and wiped when the key goes.
class DataKey {
  public:
    static DataKey random();
    static DataKey from(std::span<const unsigned char> bytes);  // data_key_bytes of them

    std::span<const unsigned char> bytes() const { return {key_.get(), data_key_bytes}; }

  private:
    struct Free {
        void operator()(unsigned char* key) const;
    };
    DataKey();
    std::unique_ptr<unsigned char, Free> key_;
};

std::vector<std::byte> seal(const DataKey& key, std::span<const std::byte> plain,
                            std::string_view context);
// Empty when the value was not sealed by this key for this context (or was altered).
std::optional<std::vector<std::byte>> open_sealed(const DataKey& key,
                                                  std::span<const std::byte> sealed,
                                                  std::string_view context);

// Text as bytes and back, for the sealed columns that hold text.
std::span<const std::byte> as_bytes(std::string_view text);
std::string as_text(std::span<const std::byte> bytes);

}  // namespace fieldflow::agent
