#include "agent/kept_photo.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "agent/outbox.h"
#include "core/digest.h"

namespace fieldflow::agent {

namespace {

// Writes `bytes` to `path` and syncs the file; false with errno set on failure.
bool write_synced(const std::filesystem::path& path, const std::vector<char>& bytes) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return false;
    std::size_t done = 0;
    while (done < bytes.size()) {
        auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int saved = errno;
            ::close(fd);
            errno = saved;
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    bool synced = ::fsync(fd) == 0;
    int saved = errno;
    ::close(fd);
    errno = saved;
    return synced;
}

// The rename of a new file is durable only once its folder is synced.
void sync_folder(const std::filesystem::path& folder) {
    int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

std::filesystem::path photo_folder(const std::filesystem::path& state_dir) {
    return state_dir / "photos";
}

std::filesystem::path kept_photo_path(const std::filesystem::path& state_dir,
                                      const std::string& sha256) {
    return photo_folder(state_dir) / sha256;
}

KeptPhoto keep_photo(const std::filesystem::path& state_dir, const std::filesystem::path& source) {
    std::error_code ec;
    auto size = std::filesystem::file_size(source, ec);
    if (ec) throw Refused("cannot read photo " + source.string() + ": " + ec.message());
    if (size == 0) throw Refused("photo " + source.string() + " is empty");
    if (size > max_kept_photo_bytes)
        throw Refused("photo " + source.string() + " is " + std::to_string(size) +
                      " bytes; a photo may have " + std::to_string(max_kept_photo_bytes) +
                      " at most");
    std::ifstream in(source, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.eof() && in.fail()) throw Refused("cannot read photo " + source.string());

    KeptPhoto kept{source.filename().string(),
                   core::hex(core::sha256(std::as_bytes(std::span(bytes)))), bytes.size()};
    auto folder = photo_folder(state_dir);
    auto target = kept_photo_path(state_dir, kept.sha256);
    std::filesystem::create_directories(folder, ec);
    if (std::filesystem::exists(target, ec) && std::filesystem::file_size(target, ec) == kept.bytes)
        return kept;  // the same photo, kept before
    auto partial = folder / (kept.sha256 + ".partial");
    if (!write_synced(partial, bytes) || ::rename(partial.c_str(), target.c_str()) != 0) {
        std::string why = std::strerror(errno);
        std::filesystem::remove(partial, ec);
        throw Refused("cannot keep photo " + source.string() + " on the handheld (" + why +
                      "); nothing was saved");
    }
    sync_folder(folder);
    kept.copied = true;
    return kept;
}

}  // namespace fieldflow::agent
