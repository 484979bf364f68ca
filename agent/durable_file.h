#pragma once
// A file written so that a power cut leaves either the old one or the new
// one, whole: written under a temporary name, synced, renamed into place,
// and its folder synced so that the rename itself survives.

#include <filesystem>
#include <span>

namespace fieldflow::agent {

// False with errno set when any step failed; the temporary file is gone then.
bool replace_synced(const std::filesystem::path& target, std::span<const char> bytes);

}  // namespace fieldflow::agent
