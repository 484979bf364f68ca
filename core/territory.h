#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace fieldflow::core {

// Territories are hierarchical codes joined by '-', e.g. "CN-SH-PD" (Pudong,
// Shanghai). A territory covers itself and every code below it: "CN-SH"
// covers "CN-SH-PD" but not "CN-SHX".
bool covers(std::string_view territory, std::string_view place);

// Whether one of `territories` covers `place`.
bool covers_any(const std::vector<std::string>& territories, std::string_view place);

}  // namespace fieldflow::core
