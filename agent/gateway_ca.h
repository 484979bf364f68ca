#pragma once
// The CA an enrolment told this handheld to trust (core/enrolment_uri.h),
// kept in the state folder as gateway-ca.pem: sync and serve verify the
// gateway against it when no --ca is given. A certificate is public, so it
// is kept in the clear, where `openssl x509 -in` shows whom the handheld
// trusts.

#include <filesystem>
#include <string>
#include <string_view>

namespace fieldflow::agent {

std::filesystem::path gateway_ca_path(const std::filesystem::path& state_dir);

// Keeps `der` as the trusted CA, replacing an earlier enrolment's; removes
// the file when `der` is empty (the new enrolment names none). Throws
// std::invalid_argument, writing nothing, when `der` is not one certificate
// of a CA, and std::runtime_error when the file cannot be written.
void keep_gateway_ca(const std::filesystem::path& state_dir, std::string_view der);

// The CA file to verify the gateway with: `given` (--ca) when set, else the
// enrolment's when one is kept, else empty (in clear, loopback only).
std::string trusted_ca(const std::filesystem::path& state_dir, const std::string& given);

}  // namespace fieldflow::agent
