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

// OpenSSL's contexts are kept for reuse by the thread that made them: the
// audit log hashes twice per record, and a context's allocation and set-up
// cost more than hashing a few hundred bytes.
class ContextPool {
  public:
    ~ContextPool() {
        for (auto* c : free_) EVP_MD_CTX_free(c);
    }
    EVP_MD_CTX* take() {
        if (free_.empty()) {
            auto* made = EVP_MD_CTX_new();
            if (!made) throw std::bad_alloc();
            return made;
        }
        auto* c = free_.back();
        free_.pop_back();
        return c;
    }
    void give(EVP_MD_CTX* c) { free_.push_back(c); }

  private:
    std::vector<EVP_MD_CTX*> free_;
};

thread_local ContextPool pool;

// A pooled context, started at the first piece after it was taken or
// finished, so that a hasher used once is set up once.
class PooledContext {
  public:
    PooledContext() : context_(pool.take()) {}
    ~PooledContext() { pool.give(context_); }
    PooledContext(const PooledContext&) = delete;
    PooledContext& operator=(const PooledContext&) = delete;

    void update(const void* data, std::size_t size) {
        if (EVP_DigestUpdate(started(), data, size) != 1)
            throw std::runtime_error("SHA-256 failed");
    }
    Sha256Digest finish() {
        Sha256Digest digest{};
        unsigned int size = 0;
        if (EVP_DigestFinal_ex(started(), digest.data(), &size) != 1)
            throw std::runtime_error("SHA-256 failed");
        running_ = false;
        return digest;
    }

  private:
    EVP_MD_CTX* started() {
        if (!running_) {
            // A context that has hashed before keeps its algorithm's state,
            // which starting it over reuses rather than makes anew.
            const EVP_MD* algorithm = EVP_MD_CTX_get0_md(context_) ? nullptr : sha256_algorithm();
            if (EVP_DigestInit_ex2(context_, algorithm, nullptr) != 1)
                throw std::runtime_error("SHA-256 failed to start");
            running_ = true;
        }
        return context_;
    }
    EVP_MD_CTX* context_;
    bool running_ = false;
};

}  // namespace

struct Sha256::Context : PooledContext {};

Sha256::Sha256() : context_(std::make_unique<Context>()) {}
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

Sha256& Sha256::update(const void* data, std::size_t size) {
    context_->update(data, size);
    return *this;
}

Sha256Digest Sha256::finish() {
    return context_->finish();
}

Sha256Digest sha256(std::span<const std::byte> bytes) {
    // On the stack: one piece needs no hasher of its own to allocate, and
    // the audit log hashes one for every record.
    PooledContext context;
    context.update(bytes.data(), bytes.size());
    return context.finish();
}

std::string hex(std::span<const std::byte> bytes) {
    return hex({reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()});
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
