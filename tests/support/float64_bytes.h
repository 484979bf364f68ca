#pragma once
// A Float64 as Cap'n Proto stores it, little-endian whatever the host: what
// a search of a store, or of its files, for a fix's latitude looks for.

#include <bit>
#include <cstdint>
#include <string>

namespace fieldflow::test {

inline std::string float64_bytes(double value) {
    auto bits = std::bit_cast<std::uint64_t>(value);
    std::string out;
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(bits >> (8 * i)));
    return out;
}

}  // namespace fieldflow::test
