#pragma once
// A command line that CLI11 accepted but that names nothing the command can
// run (a check-in with no position, a scan with no source): the program
// says so with the command's usage and exits 2, as for a parse error.

#include <stdexcept>

namespace fieldflow::agent {

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace fieldflow::agent
