#pragma once
// A file written whole with `text`, byte for byte, for the inputs a test
// hands a program (CSV books, config files).

#include <fstream>
#include <string>

namespace fieldflow::test {

inline void write_file(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

}  // namespace fieldflow::test
