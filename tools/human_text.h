#pragma once
// The language of the command line's human-readable output: Simplified
// Chinese under a zh_CN locale, English otherwise. Only what a person reads
// follows it; JSON and CSV stay the same in every locale, since scripts
// read them.

#include <string>
#include <string_view>

#include "tables/table.h"

namespace fieldflow::tools {

// The same languages as the tables' headings (tables/table.h).
using tables::Language;

// The locale's language as POSIX picks the one for messages: LC_ALL, then
// LC_MESSAGES, then LANG, the first set and not empty.
Language language_from_environment();
// One locale name ("zh_CN.UTF-8", "C", "" ...).
Language language_of_locale(std::string_view locale);

// `text` padded with spaces to `columns` on a terminal, where a Chinese
// character takes two columns (std::setw counts bytes).
std::string pad_right(std::string_view text, std::size_t columns);
std::string pad_left(std::string_view text, std::size_t columns);

}  // namespace fieldflow::tools
