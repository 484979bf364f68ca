#include "agent/ui_files.h"

#include <fstream>
#include <iterator>
#include <map>
#include <system_error>

namespace fieldflow::agent {

namespace fs = std::filesystem;
namespace http = boost::beast::http;

namespace {

// Larger files are not the page's.
constexpr std::uintmax_t max_file_bytes = std::uintmax_t{8} << 20;

std::string type_of(const fs::path& file) {
    static const std::map<std::string, std::string> types{
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".ico", "image/x-icon"},
        {".webmanifest", "application/manifest+json"},
        {".woff2", "font/woff2"}};
    auto found = types.find(file.extension().string());
    return found == types.end() ? "application/octet-stream" : found->second;
}

}  // namespace

UiResponse static_file(const UiRequest& request, const fs::path& folder, const std::string& path) {
    auto not_found = [&] {
        return api_error(request, http::status::not_found, "not_found", "找不到该文件",
                         "no such file: " + path);
    };
    auto relative = fs::path(path == "/" ? "index.html" : path.substr(1)).lexically_normal();
    if (relative.empty() || relative.is_absolute() || *relative.begin() == "..") return not_found();
    auto file = folder / relative;
    std::error_code ec;
    if (!fs::is_regular_file(file, ec) || fs::file_size(file, ec) > max_file_bytes)
        return not_found();
    std::ifstream in(file, std::ios::binary);
    std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    UiResponse response{http::status::ok, request.version() ? request.version() : 11};
    response.set(http::field::server, "fieldflow-agent");
    response.set(http::field::content_type, type_of(file));
    response.set(http::field::cache_control, "no-cache");
    // The page runs nothing it did not bring, and no other site frames it.
    response.set("Content-Security-Policy",
                 "default-src 'self'; img-src 'self' blob: data:; frame-ancestors 'none'");
    response.set("X-Content-Type-Options", "nosniff");
    response.body() = std::move(body);
    return response;
}

std::string default_handheld_web_dir(const std::string& program) {
    std::error_code ec;
    auto installed =
        fs::path(program).parent_path().parent_path() / "share" / "fieldflow" / "handheld";
    if (!program.empty() && fs::is_regular_file(installed / "index.html", ec))
        return installed.lexically_normal().string();
    return FIELDFLOW_HANDHELD_WEB_DIR;
}

std::string default_handheld_web_dir() {
    std::error_code ec;
    auto self = fs::read_symlink("/proc/self/exe", ec);
    return default_handheld_web_dir(ec ? std::string() : self.string());
}

}  // namespace fieldflow::agent
