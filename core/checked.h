#pragma once
// Sums of pack quantities that fail instead of wrapping. Rows are bounded on
// the way in (max_quantity), but a book is summed over years of rows and
// over rows stored before that bound: a wrapped sum would show a plausible
// wrong stock, with no anomaly, where an error shows that something is off.

#include <cstdint>
#include <stdexcept>
#include <string>

namespace fieldflow::core {

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
