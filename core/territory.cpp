#include "core/territory.h"

namespace fieldflow::core {

bool covers(std::string_view territory, std::string_view place) {
    if (territory.empty()) return false;
    if (place.size() < territory.size() || place.substr(0, territory.size()) != territory)
        return false;
    return place.size() == territory.size() || place[territory.size()] == '-';
}

bool covers_any(const std::vector<std::string>& territories, std::string_view place) {
    for (const auto& t : territories)
        if (covers(t, place)) return true;
    return false;
}

}  // namespace fieldflow::core
