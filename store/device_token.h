#pragma once
// Device credentials: a random token shown once when a device is enrolled,
// kept at the gateway only as its SHA-256 (a token of 256 random bits
// needs no slow hash: there is nothing to guess from).

#include <string>
#include <string_view>
#include <vector>

namespace fieldflow::store {

// `prefix` and 64 hex digits (256 bits) from OpenSSL's random generator.
std::string random_token(std::string_view prefix);
// A device credential: "ffd1." and 64 hex digits.
std::string new_device_token();
std::vector<unsigned char> token_sha256(std::string_view token);
// Compares in constant time.
bool token_matches(std::string_view token, const std::vector<unsigned char>& sha256);

}  // namespace fieldflow::store
