#pragma once
// A photo taken in a visit, copied into the handheld's state folder beside
// the outbox: the camera's folder may be cleaned before the next sync, and
// the record carries only the photo's hash. Named by that hash, so a photo
// kept twice is one file.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "agent/sealing.h"

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
// photo a power cut lost. Sealed (agent/sealing.h) when given a key. Throws
// Refused (agent/refused.h) naming the file when it cannot be read, is
// empty or too large, or cannot be written.
KeptPhoto keep_photo(const std::filesystem::path& state_dir, const std::filesystem::path& source,
                     const DataKey* key);
// The same for a photo already in memory (the rep's app sends it whole):
// with a key, its bytes never reach the flash in the clear.
KeptPhoto keep_photo_bytes(const std::filesystem::path& state_dir, const std::string& name,
                           std::span<const char> bytes, const DataKey* key);

// A kept photo's own bytes, opened with the key when it was sealed; none
// when the file is gone or does not open.
std::optional<std::vector<char>> read_kept_photo(const std::filesystem::path& file,
                                                 const std::string& sha256, const DataKey* key);
// The photo's own size (a sealed file is larger by its seal).
std::optional<std::uint64_t> kept_photo_bytes(const std::filesystem::path& file);
// Seals a photo kept in the clear (before the PIN was set); false when it
// was sealed already.
bool seal_kept_photo(const std::filesystem::path& file, const std::string& sha256,
                     const DataKey& key);

}  // namespace fieldflow::agent
