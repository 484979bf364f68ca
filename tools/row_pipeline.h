#pragma once
// Reading a CSV file on one core while the store writes on the other.
// Parsing and checking a row costs about as much as storing it, so an
// import of millions of rows runs nearly twice as fast this way.

#include <istream>
#include <string>
#include <vector>

#include "core/distribution_csv.h"

namespace fieldflow::tools {

// Reads `in` as rows of `kind` on a second thread and hands each good row
// to `sink` on the calling thread, in file order. Bad rows go to `errors`.
// If `sink` throws, reading stops and the exception reaches the caller.
void pipe_rows(core::ImportKind kind, std::istream& in, const std::string& file,
               const core::RowHandlers& sink, std::vector<core::LoadError>& errors);

}  // namespace fieldflow::tools
