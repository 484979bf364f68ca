#include "agent/kept_photo.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "agent/durable_file.h"
#include "agent/refused.h"
#include "core/digest.h"

namespace fieldflow::agent {

namespace {

// What a sealed photo's file starts with; a photo kept in the clear never
// does (no image format starts so).
constexpr std::string_view sealed_photo_mark = "fieldflow sealed photo\n";

std::string photo_context(const std::string& sha256) {
    return "photo " + sha256;
}

std::vector<char> file_bytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::vector<char> bytes;
    if (in) bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (!in.eof() && in.fail()) bytes.clear();
    return bytes;
}

bool is_sealed(std::span<const char> bytes) {
    return std::string_view(bytes.data(), bytes.size()).starts_with(sealed_photo_mark);
}

// The photo's file as kept: the mark, then the photo sealed for its hash.
std::vector<char> sealed_file(std::span<const char> photo, const std::string& sha256,
                              const DataKey& key) {
    auto sealed = seal(key, std::as_bytes(photo), photo_context(sha256));
    std::vector<char> out(sealed_photo_mark.begin(), sealed_photo_mark.end());
    auto* begin = reinterpret_cast<const char*>(sealed.data());
    out.insert(out.end(), begin, begin + sealed.size());
    return out;
}

}  // namespace

std::filesystem::path photo_folder(const std::filesystem::path& state_dir) {
    return state_dir / "photos";
}

std::filesystem::path kept_photo_path(const std::filesystem::path& state_dir,
                                      const std::string& sha256) {
    return photo_folder(state_dir) / sha256;
}

KeptPhoto keep_photo(const std::filesystem::path& state_dir, const std::filesystem::path& source,
                     const DataKey* key) {
    std::error_code ec;
    auto size = std::filesystem::file_size(source, ec);
    if (ec) throw Refused("cannot read photo " + source.string() + ": " + ec.message());
    if (size == 0) throw Refused("photo " + source.string() + " is empty");
    if (size > max_kept_photo_bytes)
        throw Refused("photo " + source.string() + " is " + std::to_string(size) +
                      " bytes; a photo may have " + std::to_string(max_kept_photo_bytes) +
                      " at most");
    auto bytes = file_bytes(source);
    if (bytes.empty()) throw Refused("cannot read photo " + source.string());
    return keep_photo_bytes(state_dir, source.filename().string(), bytes, key);
}

KeptPhoto keep_photo_bytes(const std::filesystem::path& state_dir, const std::string& name,
                           std::span<const char> bytes, const DataKey* key) {
    KeptPhoto kept{name, core::hex(core::sha256(std::as_bytes(bytes))), bytes.size()};
    auto folder = photo_folder(state_dir);
    auto target = kept_photo_path(state_dir, kept.sha256);
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (kept_photo_bytes(target) == kept.bytes) return kept;  // the same photo, kept before
    auto file =
        key ? sealed_file(bytes, kept.sha256, *key) : std::vector<char>(bytes.begin(), bytes.end());
    if (!replace_synced(target, file))
        throw Refused("cannot keep photo " + name + " on the handheld (" + std::strerror(errno) +
                      "); nothing was saved");
    kept.copied = true;
    return kept;
}

std::optional<std::vector<char>> read_kept_photo(const std::filesystem::path& file,
                                                 const std::string& sha256, const DataKey* key) {
    auto bytes = file_bytes(file);
    if (bytes.empty()) return std::nullopt;
    if (!is_sealed(bytes)) return bytes;
    if (!key) return std::nullopt;
    auto opened =
        open_sealed(*key, std::as_bytes(std::span(bytes)).subspan(sealed_photo_mark.size()),
                    photo_context(sha256));
    // Gone before the copy below: a photo of a few megabytes is otherwise
    // held three times at once, while the sync runs beside the rep's page.
    std::vector<char>().swap(bytes);
    if (!opened) return std::nullopt;
    auto* begin = reinterpret_cast<const char*>(opened->data());
    return std::vector<char>(begin, begin + opened->size());
}

std::optional<std::uint64_t> kept_photo_bytes(const std::filesystem::path& file) {
    std::error_code ec;
    auto size = std::filesystem::file_size(file, ec);
    if (ec) return std::nullopt;
    std::ifstream in(file, std::ios::binary);
    std::string start(sealed_photo_mark.size(), '\0');
    in.read(start.data(), static_cast<std::streamsize>(start.size()));
    if (in && start == sealed_photo_mark) {
        if (size < sealed_photo_mark.size() + sealed_overhead) return std::nullopt;
        return size - sealed_photo_mark.size() - sealed_overhead;
    }
    return size;
}

bool seal_kept_photo(const std::filesystem::path& file, const std::string& sha256,
                     const DataKey& key) {
    auto bytes = file_bytes(file);
    if (bytes.empty() || is_sealed(bytes)) return false;
    if (!replace_synced(file, sealed_file(bytes, sha256, key)))
        throw Refused("cannot seal photo " + file.string() + " (" + std::strerror(errno) + ")");
    return true;
}

}  // namespace fieldflow::agent
