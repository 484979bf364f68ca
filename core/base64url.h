#pragma once
// Base64url (RFC 4648, section 5) without padding: bytes spelt in the
// characters a URI query keeps as they are, so that a certificate rides in
// an enrolment URI without percent-encoding doubling it. OpenSSL does the
// coding; this file only swaps its alphabet and padding for the URL ones.

#include <optional>
#include <string>
#include <string_view>

namespace fieldflow::core {

std::string base64url(std::string_view bytes);

// The bytes, or none when `text` is not unpadded base64url (a character
// outside A-Z a-z 0-9 - _, padding, or a length no encoding gives).
std::optional<std::string> from_base64url(std::string_view text);

}  // namespace fieldflow::core
