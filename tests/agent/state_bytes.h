#pragma once
// Every byte of every file in a handheld's state folder (the outbox, its
// WAL, the kept photos), read as a thief with the flash in hand would:
// what the sealed outbox's tests search for a rep's fix, counts and photos.

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace fieldflow::test {

inline std::string state_bytes(const std::filesystem::path& dir) {
    std::string all;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file()) continue;
        std::ifstream in(entry.path(), std::ios::binary);
        all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return all;
}

}  // namespace fieldflow::test
