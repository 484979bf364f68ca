#pragma once
// Master data for the fuzz targets that judge records: the test fixture's,
// written once to a temporary folder and loaded as the gateway loads it.

#include "core/master_data.h"

namespace fieldflow::fuzz {

const core::MasterData& master_data();

}  // namespace fieldflow::fuzz
