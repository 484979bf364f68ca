#include "gateway/web_dir.h"

#include <filesystem>
#include <system_error>

namespace fieldflow::gateway {

namespace fs = std::filesystem;

std::string default_web_dir(const std::string& program) {
    std::error_code ec;
    auto installed = fs::path(program).parent_path().parent_path() / "share" / "fieldflow" / "web";
    if (!program.empty() && fs::is_regular_file(installed / "index.html", ec))
        return installed.lexically_normal().string();
    return FIELDFLOW_WEB_DIR;
}

std::string default_web_dir() {
    std::error_code ec;
    auto self = fs::read_symlink("/proc/self/exe", ec);
    return default_web_dir(ec ? std::string() : self.string());
}

}  // namespace fieldflow::gateway
