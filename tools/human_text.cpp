#include "tools/human_text.h"

#include <cstdlib>

#include "tables/text_width.h"

namespace fieldflow::tools {

Language language_of_locale(std::string_view locale) {
    return locale.rfind("zh_CN", 0) == 0 ? Language::chinese : Language::english;
}

Language language_from_environment() {
    for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
        const char* value = std::getenv(name);
        if (value && *value) return language_of_locale(value);
    }
    return Language::english;
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
