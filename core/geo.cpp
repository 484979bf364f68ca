#include "core/geo.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace fieldflow::core {

double distance_m(double lat1, double lon1, double lat2, double lon2) {
    constexpr double earth_radius_m = 6'371'008.8;  // IUGG mean radius
    constexpr double rad = std::numbers::pi / 180.0;
    double dlat = (lat2 - lat1) * rad;
    double dlon = (lon2 - lon1) * rad;
    double a =
        std::sin(dlat / 2) * std::sin(dlat / 2) +
        std::cos(lat1 * rad) * std::cos(lat2 * rad) * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2 * earth_radius_m * std::asin(std::min(1.0, std::sqrt(a)));
}

}  // namespace fieldflow::core
