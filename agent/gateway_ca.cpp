#include "agent/gateway_ca.h"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "agent/durable_file.h"

namespace fieldflow::agent {

namespace {

struct FreeCertificate {
    void operator()(X509* cert) const { X509_free(cert); }
};
struct FreeBio {
    void operator()(BIO* bio) const { BIO_free(bio); }
};

}  // namespace

std::filesystem::path gateway_ca_path(const std::filesystem::path& state_dir) {
    return state_dir / "gateway-ca.pem";
}

void keep_gateway_ca(const std::filesystem::path& state_dir, std::string_view der) {
    auto path = gateway_ca_path(state_dir);
    if (der.empty()) {
        std::error_code ignored;
        std::filesystem::remove(path, ignored);
        return;
    }
    const auto* at = reinterpret_cast<const unsigned char*>(der.data());
    std::unique_ptr<X509, FreeCertificate> cert(
        d2i_X509(nullptr, &at, static_cast<long>(der.size())));
    if (!cert || at != reinterpret_cast<const unsigned char*>(der.data()) + der.size())
        throw std::invalid_argument("the enrolment's ca is not a certificate");
    if (X509_check_ca(cert.get()) <= 0)
        throw std::invalid_argument("the enrolment's ca is a certificate, but not a CA's");

    std::unique_ptr<BIO, FreeBio> pem(BIO_new(BIO_s_mem()));
    if (!pem || PEM_write_bio_X509(pem.get(), cert.get()) != 1)
        throw std::runtime_error("cannot write the enrolment's CA as PEM");
    char* text = nullptr;
    long size = BIO_get_mem_data(pem.get(), &text);
    if (!replace_synced(path, {text, static_cast<std::size_t>(size)}))
        throw std::runtime_error("cannot keep the enrolment's CA in " + path.string() + " (" +
                                 std::strerror(errno) + ")");
}

std::string trusted_ca(const std::filesystem::path& state_dir, const std::string& given) {
    if (!given.empty()) return given;
    auto kept = gateway_ca_path(state_dir);
    std::error_code ignored;
    return std::filesystem::exists(kept, ignored) ? kept.string() : std::string();
}

}  // namespace fieldflow::agent
