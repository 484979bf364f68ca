#include "tools/human_text.h"

#include "program/message_language.h"
#include "tables/text_width.h"

namespace fieldflow::tools {

Language language_of_locale(std::string_view locale) {
    return program::chinese_locale(locale) ? Language::chinese : Language::english;
}

Language language_from_environment() {
    return program::chinese_messages() ? Language::chinese : Language::english;
}

std::string pad_right(std::string_view text, std::size_t width) {
    std::string out(text);
    for (auto used = tables::display_width(text); used < width; ++used) out += ' ';
    return out;
}

std::string pad_left(std::string_view text, std::size_t width) {
    std::string out;
    for (auto used = tables::display_width(text); used < width; ++used) out += ' ';
    return out += text;
}

}  // namespace fieldflow::tools
