#pragma once

#include <stdexcept>

namespace fieldflow::agent {

// A capture or command refused for a reason the rep can act on; exit code 1.
struct Refused : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace fieldflow::agent
