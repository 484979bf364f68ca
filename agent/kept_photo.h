#pragma once
// A photo taken in a visit, copied into the handheld's state folder beside
// the outbox: the camera's folder may be cleaned before the next sync, and
// the record carries only the photo's hash. Named by that hash, so a photo
// kept twice is one file.

#include <cstdint>
#include <filesystem>
#include <string>

namespace fieldflow::agent {

// Larger files are refused at capture: a photo is a few megabytes, and the
// copy is read whole into memory to be hashed and written.
inline constexpr std::uint64_t max_kept_photo_bytes = 64ull << 20;

struct KeptPhoto {
    std::string file_name;  // as the rep gave it, without its folder
    std::string sha256;     // hex
    std::uint64_t bytes = 0;
    bool copied = false;  // false: the same photo was kept here before
};

// Where the photos of the handheld at `state_dir` are kept.
std::filesystem::path photo_folder(const std::filesystem::path& state_dir);
std::filesystem::path kept_photo_path(const std::filesystem::path& state_dir,
                                      const std::string& sha256);

// Copies the photo at `source` into the state folder and syncs it to the
// flash before returning, so that a record saved after it never names a
// photo a power cut lost. Throws Refused (agent/outbox.h) naming the file
// when it cannot be read, is empty or too large, or cannot be written.
KeptPhoto keep_photo(const std::filesystem::path& state_dir, const std::filesystem::path& source);

}  // namespace fieldflow::agent
