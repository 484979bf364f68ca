#pragma once
// Distributors' exports come in UTF-8 or in GBK (the encoding of Chinese
// Windows). Everything inside fieldflow is UTF-8.

#include <cstddef>
#include <istream>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace fieldflow::core {

struct EncodingError : std::runtime_error {
    EncodingError(const std::string& message, std::size_t at)
        : std::runtime_error(message), offset(at) {}
    std::size_t offset;  // of the first byte that could not be read
};

bool valid_utf8(std::string_view text);

// GBK (as GB 18030, which contains it) to UTF-8, through the C library's iconv.
std::string gbk_to_utf8(std::string_view text);

// How to read a distributor's file that came without a word on its
// encoding: "utf-8" when all of it reads as UTF-8 (GBK text with Chinese
// in it practically never does), else "gbk".
std::string_view guess_encoding(std::string_view bytes);

// A file to read as UTF-8 text: as it is, or converted from GBK. Throws
// std::runtime_error when it cannot be read, EncodingError when it is not GBK.
std::unique_ptr<std::istream> open_text(const std::string& path, bool gbk);

}  // namespace fieldflow::core
