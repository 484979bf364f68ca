#pragma once
// Wall-clock time in the unit every stored time uses: milliseconds since the
// Unix epoch, UTC.

#include <chrono>
#include <cstdint>

namespace fieldflow::core {

inline std::int64_t unix_now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace fieldflow::core
