#include "core/digest.h"

#include <openssl/evp.h>

#include <fstream>
#include <stdexcept>
#include <vector>

namespace fieldflow::core {

namespace {

const EVP_MD* sha256_algorithm() {
    static const EVP_MD* algorithm = [] {
        EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
        if (!fetched) throw std::runtime_error("OpenSSL offers no SHA-256");
        return fetched;  // kept for the life of the process
    }();
    return algorithm;
}

}  // namespace

struct Sha256::Context {
    Context() : context(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
        if (!context) throw std::bad_alloc();
        start();
    }
    void start() {
        if (EVP_DigestInit_ex2(context.get(), sha256_algorithm(), nullptr) != 1)
            throw std::runtime_error("SHA-256 failed to start");
    }
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context;
};

Sha256::Sha256() : context_(std::make_unique<Context>()) {}
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

Sha256& Sha256::update(const void* data, std::size_t size) {
    if (EVP_DigestUpdate(context_->context.get(), data, size) != 1)
        throw std::runtime_error("SHA-256 failed");
    return *this;
}

Sha256Digest Sha256::finish() {
    Sha256Digest digest{};
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(context_->context.get(), digest.data(), &size) != 1)
        throw std::runtime_error("SHA-256 failed");
    context_->start();
    return digest;
}

Sha256Digest sha256(std::span<const std::byte> bytes) {
    return Sha256().update(bytes.data(), bytes.size()).finish();
}

std::string hex(std::span<const unsigned char> bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string text;
    text.reserve(bytes.size() * 2);
    for (unsigned char b : bytes) {
        text += digits[b >> 4];
        text += digits[b & 15];
    }
    return text;
}

std::optional<std::string> sha256_hex_of_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    Sha256 hasher;
    std::vector<char> block(1 << 20);
    while (in.read(block.data(), static_cast<std::streamsize>(block.size())) || in.gcount() > 0)
        hasher.update(block.data(), static_cast<std::size_t>(in.gcount()));
    return hex(hasher.finish());
}

}  // namespace fieldflow::core
