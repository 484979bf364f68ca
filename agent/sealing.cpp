#include "agent/sealing.h"

#include <sodium.h>

#include <stdexcept>
#include <string>

namespace fieldflow::agent {

namespace {

void init_sodium() {
    static const bool ready = sodium_init() >= 0;
    if (!ready) throw std::runtime_error("libsodium could not start (no random source?)");
}

const unsigned char* data_of(std::string_view context) {
    return reinterpret_cast<const unsigned char*>(context.data());
}

}  // namespace

void DataKey::Free::operator()(unsigned char* key) const {
    sodium_free(key);
}

DataKey::DataKey() {
    init_sodium();
    key_.reset(static_cast<unsigned char*>(sodium_malloc(data_key_bytes)));
    if (!key_) throw std::bad_alloc();
}

DataKey DataKey::random() {
    DataKey key;
    crypto_aead_xchacha20poly1305_ietf_keygen(key.key_.get());
    return key;
}

DataKey DataKey::from(std::span<const unsigned char> bytes) {
    if (bytes.size() != data_key_bytes)
        throw std::invalid_argument("a data key is " + std::to_string(data_key_bytes) +
                                    " bytes, not " + std::to_string(bytes.size()));
    DataKey key;
    std::copy(bytes.begin(), bytes.end(), key.key_.get());
    return key;
}

std::vector<std::byte> seal(const DataKey& key, std::span<const std::byte> plain,
                            std::string_view context) {
    static_assert(sealed_overhead == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES +
                                         crypto_aead_xchacha20poly1305_ietf_ABYTES);
    std::vector<std::byte> out(plain.size() + sealed_overhead);
    auto* nonce = reinterpret_cast<unsigned char*>(out.data());
    randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &written,
        reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), data_of(context),
        context.size(), nullptr, nonce, key.bytes().data());
    out.resize(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + written);
    return out;
}

std::optional<std::vector<std::byte>> open_sealed(const DataKey& key,
                                                  std::span<const std::byte> sealed,
                                                  std::string_view context) {
    if (sealed.size() < sealed_overhead) return std::nullopt;
    const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
    std::vector<std::byte> out(sealed.size() - sealed_overhead);
    unsigned long long read = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            reinterpret_cast<unsigned char*>(out.data()), &read, nullptr,
            nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
            sealed.size() - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, data_of(context),
            context.size(), nonce, key.bytes().data()) != 0)
        return std::nullopt;
    out.resize(read);
    return out;
}

std::span<const std::byte> as_bytes(std::string_view text) {
    return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

std::string as_text(std::span<const std::byte> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace fieldflow::agent
