#include "schemas/error_code.h"

#include <array>
#include <cstddef>

namespace fieldflow::wire {

namespace {

constexpr std::size_t code_count = static_cast<std::size_t>(ErrorCode::unknown) + 1;

// Indexed by the enum, its size taken from the names written here: a code
// added without its name, or a name without its code, stops the build.
constexpr auto names = std::to_array<std::string_view>({
    "malformed_frame",
    "frame_too_large",
    "handshake_required",
    "protocol_version",
    "too_many_records",
    "timeout",
    "store_unavailable",
    "unauthenticated",
    "unknown",
});

constexpr bool every_code_named() {
    for (auto n : names)
        if (n.empty()) return false;
    return true;
}

constexpr bool names_distinct() {
    for (std::size_t i = 0; i < names.size(); ++i)
        for (std::size_t j = i + 1; j < names.size(); ++j)
            if (names[i] == names[j]) return false;
    return true;
}

static_assert(names.size() == code_count, "every ErrorCode needs its wire name in this table");
static_assert(every_code_named(), "a wire name is empty");
static_assert(names_distinct(), "two ErrorCodes share a wire name");
static_assert(names[code_count - 1] == "unknown", "ErrorCode::unknown stays last");

}  // namespace

std::string_view name(ErrorCode code) {
    auto index = static_cast<std::size_t>(code);
    return index < names.size() ? names[index] : names.back();
}

ErrorCode error_code_from_name(std::string_view text) {
    for (std::size_t i = 0; i + 1 < names.size(); ++i)
        if (names[i] == text) return static_cast<ErrorCode>(i);
    return ErrorCode::unknown;
}

}  // namespace fieldflow::wire
