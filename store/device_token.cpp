#include "store/device_token.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <stdexcept>

#include "core/digest.h"

namespace fieldflow::store {

std::string random_token(std::string_view prefix) {
    unsigned char bytes[32];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no random bytes");
    return std::string(prefix) + core::hex(bytes);
}

std::string new_device_token() {
    return random_token("ffd1.");
}

std::vector<unsigned char> token_sha256(std::string_view token) {
    auto digest = core::Sha256().update(token).finish();
    return {digest.begin(), digest.end()};
}

bool token_matches(std::string_view token, const std::vector<unsigned char>& sha256) {
    auto offered = token_sha256(token);
    return sha256.size() == offered.size() &&
           CRYPTO_memcmp(offered.data(), sha256.data(), offered.size()) == 0;
}

}  // namespace fieldflow::store
