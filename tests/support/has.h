#pragma once
// Whether a program's output, a page or a log holds a fragment, for checks
// that read better than a find() against npos.

#include <string>

namespace fieldflow::test {

inline bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace fieldflow::test
