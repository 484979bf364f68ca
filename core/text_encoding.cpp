#include "core/text_encoding.h"

#include <iconv.h>

#include <cerrno>
#include <fstream>
#include <iterator>
#include <sstream>
#include <memory>

namespace fieldflow::core {

bool valid_utf8(std::string_view text) {
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    for (std::size_t i = 0; i < text.size();) {
        unsigned char lead = byte(i);
        if (lead < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = lead > 0xF4    ? 0
                             : lead >= 0xF0 ? 4
                             : lead >= 0xE0 ? 3
                             : lead >= 0xC2 ? 2
                                            : 0;
        if (length == 0 || i + length > text.size()) return false;
        for (std::size_t k = 1; k < length; ++k)
            if ((byte(i + k) & 0xC0) != 0x80) return false;
        unsigned char second = byte(i + 1);
        if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) ||
            (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F))
            return false;  // overlong forms, surrogates, beyond U+10FFFF
        i += length;
    }
    return true;
}

std::string gbk_to_utf8(std::string_view text) {
    iconv_t raw = iconv_open("UTF-8", "GB18030");
    if (raw == reinterpret_cast<iconv_t>(-1)) throw EncodingError("GBK is not available", 0);
    std::unique_ptr<void, int (*)(iconv_t)> cd(raw, iconv_close);
    std::string out(text.size() * 3 / 2 + 16, '\0');
    char* in_ptr = const_cast<char*>(text.data());
    std::size_t in_left = text.size();
    std::size_t done = 0;
    while (in_left > 0) {
        char* out_ptr = out.data() + done;
        std::size_t out_left = out.size() - done;
        std::size_t result = iconv(cd.get(), &in_ptr, &in_left, &out_ptr, &out_left);
        done = out.size() - out_left;
        if (result != static_cast<std::size_t>(-1)) break;
        if (errno == E2BIG) {
            out.resize(out.size() * 2);
            continue;
        }
        throw EncodingError("not GBK", static_cast<std::size_t>(in_ptr - text.data()));
    }
    out.resize(done);
    return out;
}

std::string_view guess_encoding(std::string_view bytes) {
    return valid_utf8(bytes) ? "utf-8" : "gbk";
}

std::unique_ptr<std::istream> open_text(const std::string& path, bool gbk) {
    auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
    if (!*file) throw std::runtime_error("cannot read " + path);
    if (!gbk) return file;
    std::string bytes((std::istreambuf_iterator<char>(*file)), std::istreambuf_iterator<char>());
    return std::make_unique<std::istringstream>(gbk_to_utf8(bytes));
}

}  // namespace fieldflow::core
