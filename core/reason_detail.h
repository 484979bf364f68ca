#pragma once
// A reason's detail in Chinese. Details travel and are stored in English,
// as the rules write them (core/visit_rules.cpp, core/travel_rules.cpp,
// core/scan_rules.cpp, core/report_rules.cpp ...): the audit log's hashes
// cover them and handhelds already hold them. Whatever shows a detail to a
// rep or an operator reads its Chinese here, the one place that knows each
// form the rules write; a detail of a form not known here (an older or a
// newer gateway's) has none and is shown as written.

#include <optional>
#include <string>
#include <string_view>

namespace fieldflow::core {

std::optional<std::string> chinese_detail(std::string_view detail);

}  // namespace fieldflow::core
