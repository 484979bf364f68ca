#pragma once
// The CSV formula guard lives in tables/csv_field.h, where the gateway's
// downloads share it; the commands keep reaching it by this name.

#include "tables/csv_field.h"

namespace fieldflow::tools {

using tables::csv_field;
using tables::reads_as_formula;

}  // namespace fieldflow::tools
