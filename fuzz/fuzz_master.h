#pragma once
// Master data for the fuzz targets that judge records, built in memory: the
// same products, terminals, distributors and reps as the tests' fixture
// (tests/support/master_fixture.h), so that the seed corpora reach the
// rules past "unknown terminal".

#include "core/master_data.h"

namespace fieldflow::fuzz {

const core::MasterData& master_data();

}  // namespace fieldflow::fuzz
