#pragma once
// Whether a person running one of the programs reads Chinese: the locale's
// language as POSIX picks the one for messages (LC_ALL, then LC_MESSAGES,
// then LANG, the first set and not empty), Chinese for zh_CN. Only what a
// person reads follows it; JSON and CSV stay the same, since scripts read them.

#include <string_view>

namespace fieldflow::program {

bool chinese_locale(std::string_view locale);
bool chinese_messages();

}  // namespace fieldflow::program
