#pragma once
// A throwaway certificate authority for the TLS tests, made with the
// openssl command exactly as docs/operations.md shows an operator.

#include <filesystem>
#include <string>

namespace fieldflow::test {

struct TestCa {
    std::string ca;    // the CA certificate (PEM)
    std::string cert;  // the gateway's certificate for localhost and 127.0.0.1, signed by it
    std::string key;   // the gateway's private key
};

// Writes a CA named `name` and a gateway certificate under `dir`.
TestCa make_test_ca(const std::filesystem::path& dir, const std::string& name = "test");

}  // namespace fieldflow::test
