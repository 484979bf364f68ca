#include "core/territory.h"

namespace fieldflow::core {

bool covers(std::string_view territory, std::string_view place) {
    if (territory.empty()) return false;
    if (place.size() < territory.size() || place.substr(0, territory.size()) != territory)
        return false;
    return place.size() == territory.size() || place[territory.size()] == '-';
}

}  // namespace fieldflow::core
