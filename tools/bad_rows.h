#pragma once
// The bad rows of a file an operator imports (flows, master data, a visit
// plan), as the command line prints them: `file:line: words (code)`, in
// Chinese under a zh_CN locale where the reader gave Chinese words, with the
// stable code beside them (docs/distribution.md, "Bad rows").

#include <ostream>
#include <string_view>
#include <vector>

#include "core/master_data.h"
#include "tools/human_text.h"

namespace fieldflow::tools {

void print_bad_rows(std::ostream& out, const std::vector<core::LoadError>& rows, Language language);

// The line after them when they stop an import whole:
// `fieldflow COMMAND: N bad rows (listed above); nothing imported`.
void print_nothing_imported(std::ostream& out, std::string_view command, std::size_t bad,
                            Language language);

}  // namespace fieldflow::tools
