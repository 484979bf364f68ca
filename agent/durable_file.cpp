#include "agent/durable_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace fieldflow::agent {

namespace {

// Writes `bytes` to `path` and syncs the file; false with errno set on failure.
bool write_synced(const std::filesystem::path& path, std::span<const char> bytes) {
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

bool replace_synced(const std::filesystem::path& target, std::span<const char> bytes) {
    auto partial = target;
    partial += ".partial";
    if (!write_synced(partial, bytes) || ::rename(partial.c_str(), target.c_str()) != 0) {
        int saved = errno;
        std::error_code ignored;
        std::filesystem::remove(partial, ignored);
        errno = saved;
        return false;
    }
    sync_folder(target.parent_path());
    return true;
}

}  // namespace fieldflow::agent
