#pragma once
// The terminal of a stored check-in or check-out, read from its envelope:
// what the field-effectiveness report needs of each visit record.

#include <cstddef>
#include <optional>
#include <span>
#include <string>

namespace fieldflow::wire {

// Nullopt for any other kind, or bytes that do not read.
std::optional<std::string> visit_terminal(std::span<const std::byte> raw);

}  // namespace fieldflow::wire
