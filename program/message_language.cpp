#include "program/message_language.h"

#include <cstdlib>

namespace fieldflow::program {

bool chinese_locale(std::string_view locale) {
    return locale.rfind("zh_CN", 0) == 0;
}

bool chinese_messages() {
    for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
        const char* value = std::getenv(name);
        if (value && *value) return chinese_locale(value);
    }
    return false;
}

}  // namespace fieldflow::program
