#pragma once
// A store file of a test's own in the temporary folder, removed with its
// WAL and shared-memory files at the end.

#include <filesystem>
#include <random>
#include <string>

namespace fieldflow::test {

struct StoreFile {
    std::filesystem::path path;
    StoreFile() {
        std::random_device rd;
        path = std::filesystem::temp_directory_path() /
               ("fieldflow-store-" + std::to_string(rd()) + ".db");
    }
    ~StoreFile() {
        for (const char* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(path.string() + suffix);
    }
};

}  // namespace fieldflow::test
