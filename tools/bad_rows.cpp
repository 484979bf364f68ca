#include "tools/bad_rows.h"

namespace fieldflow::tools {

void print_bad_rows(std::ostream& out, const std::vector<core::LoadError>& rows,
                    Language language) {
    for (const auto& e : rows) {
        out << e.file << ':' << e.line << ": ";
        if (language == Language::chinese && !e.chinese.empty())
            out << e.chinese << "（" << e.code << "）\n";
        else
            out << e.message << (e.code.empty() ? "" : " (" + e.code + ")") << '\n';
    }
}

void print_nothing_imported(std::ostream& out, std::string_view command, std::size_t bad,
                            Language language) {
    out << "fieldflow " << command << ": ";
    if (language == Language::chinese)
        out << "错误 " << bad << " 行（见上），未导入任何内容\n";
    else
        out << bad << " bad " << (bad == 1 ? "row" : "rows")
            << " (listed above); nothing imported\n";
}

}  // namespace fieldflow::tools
