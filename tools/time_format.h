#pragma once
#include <cstdint>
#include <string>

namespace fieldflow::tools {

// Milliseconds since the Unix epoch as ISO 8601 UTC, e.g. 2026-11-22T07:30:05.120Z.
std::string iso8601_utc(std::int64_t ms);

}  // namespace fieldflow::tools
