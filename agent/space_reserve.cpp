#include "agent/space_reserve.h"

#include <fcntl.h>
#include <unistd.h>

#include <utility>

namespace fieldflow::agent {

SpaceReserve::SpaceReserve(std::filesystem::path file, std::uintmax_t bytes)
    : file_(std::move(file)), bytes_(bytes) {}

bool SpaceReserve::held() const {
    std::error_code ec;
    return std::filesystem::file_size(file_, ec) == bytes_ && !ec;
}

bool SpaceReserve::ensure() {
    if (held()) return true;
    // Allocated under another name and renamed whole, so that a reserve cut
    // short by a full disk or a power cut is never taken for one.
    auto partial = file_;
    partial += ".partial";
    int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    // posix_fallocate reserves real blocks (or writes them where the file
    // system cannot): a sparse file would free nothing when deleted.
    bool made = ::posix_fallocate(fd, 0, static_cast<off_t>(bytes_)) == 0 && ::fsync(fd) == 0;
    ::close(fd);
    std::error_code ec;
    if (made) std::filesystem::rename(partial, file_, ec);
    if (!made || ec) {
        std::filesystem::remove(partial, ec);
        return false;
    }
    return true;
}

bool SpaceReserve::release() {
    std::error_code ec;
    return std::filesystem::remove(file_, ec);
}

}  // namespace fieldflow::agent
