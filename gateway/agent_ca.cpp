#include "gateway/agent_ca.h"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>
#include <vector>

namespace fieldflow::gateway {

namespace {

// OpenSSL's free functions, for std::unique_ptr (some are macros, which a
// template argument cannot name).
struct Free {
    void operator()(BIO* p) const { BIO_free(p); }
    void operator()(X509* p) const { X509_free(p); }
    void operator()(STACK_OF(X509) * p) const { sk_X509_free(p); }
    void operator()(X509_STORE* p) const { X509_STORE_free(p); }
    void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
};
using Bio = std::unique_ptr<BIO, Free>;
using Certificate = std::unique_ptr<X509, Free>;
using Certificates = std::unique_ptr<STACK_OF(X509), Free>;
using Store = std::unique_ptr<X509_STORE, Free>;
using StoreContext = std::unique_ptr<X509_STORE_CTX, Free>;

// The certificates of a PEM file in order; none when it holds none.
std::vector<Certificate> read_pem(const std::string& file, const char* what) {
    Bio bio(BIO_new_file(file.c_str(), "r"));
    if (!bio) throw std::runtime_error(std::string("cannot read ") + what + " " + file);
    std::vector<Certificate> out;
    while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr))
        out.emplace_back(cert);
    if (out.empty())
        throw std::runtime_error(std::string(what) + " " + file + " holds no PEM certificate");
    return out;
}

Certificate read_ca(const std::string& file) {
    auto certs = read_pem(file, "the agents' CA certificate (--agent-ca)");
    if (X509_check_ca(certs.front().get()) <= 0)
        throw std::runtime_error("--agent-ca " + file +
                                 " is not a CA's certificate (no basicConstraints CA:TRUE): "
                                 "give the CA the gateway's certificate was issued by");
    return std::move(certs.front());
}

}  // namespace

std::string agent_ca_der(const std::string& file) {
    auto ca = read_ca(file);
    int size = i2d_X509(ca.get(), nullptr);
    if (size <= 0) throw std::runtime_error("cannot encode --agent-ca " + file);
    std::string der(static_cast<std::size_t>(size), '\0');
    auto* at = reinterpret_cast<unsigned char*>(der.data());
    i2d_X509(ca.get(), &at);
    return der;
}

void check_chains_to(const std::string& cert_chain, const std::string& ca_file) {
    auto ca = read_ca(ca_file);
    auto chain = read_pem(cert_chain, "the TLS certificate (--tls-cert)");
    Store store(X509_STORE_new());
    Certificates intermediates(sk_X509_new_null());
    StoreContext context(X509_STORE_CTX_new());
    if (!store || !intermediates || !context || X509_STORE_add_cert(store.get(), ca.get()) != 1)
        throw std::runtime_error("cannot check --tls-cert against --agent-ca: out of memory");
    for (std::size_t i = 1; i < chain.size(); ++i)
        sk_X509_push(intermediates.get(), chain[i].get());
    if (X509_STORE_CTX_init(context.get(), store.get(), chain.front().get(), intermediates.get()) !=
            1 ||
        X509_verify_cert(context.get()) != 1)
        throw std::runtime_error(
            "--tls-cert " + cert_chain + " does not verify against --agent-ca " + ca_file + " (" +
            X509_verify_cert_error_string(X509_STORE_CTX_get_error(context.get())) +
            "): handhelds enrolled with that CA would refuse this gateway");
}

}  // namespace fieldflow::gateway
