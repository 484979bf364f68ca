#include "core/base64url.h"

#include <openssl/evp.h>

#include <algorithm>

namespace fieldflow::core {

std::string base64url(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(written));
    while (!out.empty() && out.back() == '=') out.pop_back();
    std::replace(out.begin(), out.end(), '+', '-');
    std::replace(out.begin(), out.end(), '/', '_');
    return out;
}

std::optional<std::string> from_base64url(std::string_view text) {
    // One character left over carries 6 bits, less than a byte.
    if (text.size() % 4 == 1) return std::nullopt;
    std::string padded(text);
    for (char& c : padded) {
        bool letter_or_digit =
            (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (c == '-')
            c = '+';
        else if (c == '_')
            c = '/';
        else if (!letter_or_digit)
            return std::nullopt;
    }
    std::size_t padding = (4 - padded.size() % 4) % 4;
    padded.append(padding, '=');
    std::string out(3 * (padded.size() / 4), '\0');
    int decoded = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(padded.data()),
                                  static_cast<int>(padded.size()));
    if (decoded < 0) return std::nullopt;
    // EVP_DecodeBlock counts the padding as zero bytes decoded.
    out.resize(static_cast<std::size_t>(decoded) - padding);
    // Bits set past the last byte: no encoder writes that, so it is not ours.
    if (base64url(out) != text) return std::nullopt;
    return out;
}

}  // namespace fieldflow::core
