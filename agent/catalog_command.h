#pragma once
// `fieldflow-agent catalog --products FILE`: the handheld's product
// catalogue, from the master data's products.csv, for counting by scanning.

#include <ostream>
#include <string>

#include "agent/outbox.h"

namespace fieldflow::agent {

// Replaces the catalogue; bad lines are listed on `errors`. Returns 0, or 1
// when some lines were bad; throws Refused when no product could be read.
int load_catalog(Outbox& outbox, const std::string& products_csv, std::ostream& out,
                 std::ostream& errors);

}  // namespace fieldflow::agent
