#pragma once
// Pack quantities: the bound every row is held to on the way in, and sums
// that fail instead of wrapping. A book is summed over years of rows, and
// over rows stored before the bound: a wrapped sum would show a plausible
// wrong stock, with no anomaly, where an error shows that something is off.

#include <cstdint>
#include <stdexcept>
#include <string>

namespace fieldflow::core {

// No row moves more packs than this either way: far beyond any real
// shipment, flow or count, and small enough that years of rows cannot
// overflow a 64-bit sum.
inline constexpr std::int64_t max_quantity = 1'000'000'000;

inline bool quantity_in_range(std::int64_t qty) {
    return qty >= -max_quantity && qty <= max_quantity;
}

struct QuantityOverflow : std::overflow_error {
    using std::overflow_error::overflow_error;
};

// total += qty, or QuantityOverflow naming `what` when the sum does not fit.
inline void add_checked(std::int64_t& total, std::int64_t qty, const char* what) {
    if (__builtin_add_overflow(total, qty, &total))
        throw QuantityOverflow(std::string(what) + " does not fit in 64 bits");
}

// total -= qty, likewise.
inline void subtract_checked(std::int64_t& total, std::int64_t qty, const char* what) {
    if (__builtin_sub_overflow(total, qty, &total))
        throw QuantityOverflow(std::string(what) + " does not fit in 64 bits");
}

}  // namespace fieldflow::core
