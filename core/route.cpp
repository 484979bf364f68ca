#include "core/route.h"

#include <algorithm>
#include <limits>

#include "core/geo.h"

namespace fieldflow::core {

namespace {

double hop(const std::vector<Place>& places, std::size_t a, std::size_t b) {
    return distance_m(places[a].lat, places[a].lon, places[b].lat, places[b].lon);
}

}  // namespace

double route_length_m(const std::vector<Place>& places, const std::vector<std::size_t>& order) {
    double length = 0;
    for (std::size_t i = 1; i < order.size(); ++i) length += hop(places, order[i - 1], order[i]);
    return length;
}

void improve_route(const std::vector<Place>& places, std::vector<std::size_t>& order) {
    const std::size_t n = order.size();
    if (n < 3) return;
    // Reversing order[i..j] replaces hops (i-1, i) and (j, j+1) by (i-1, j)
    // and (i, j+1); at the open end there is no (j, j+1). Stops only on a
    // real gain, so it ends.
    constexpr double gain_m = 1e-6;
    for (bool improved = true; improved;) {
        improved = false;
        for (std::size_t i = 1; i + 1 < n; ++i)
            for (std::size_t j = i + 1; j < n; ++j) {
                double before = hop(places, order[i - 1], order[i]);
                double after = hop(places, order[i - 1], order[j]);
                if (j + 1 < n) {
                    before += hop(places, order[j], order[j + 1]);
                    after += hop(places, order[i], order[j + 1]);
                }
                if (after + gain_m < before) {
                    std::reverse(order.begin() + static_cast<std::ptrdiff_t>(i),
                                 order.begin() + static_cast<std::ptrdiff_t>(j) + 1);
                    improved = true;
                }
            }
    }
}

std::vector<std::size_t> short_route(const std::vector<Place>& places, std::size_t start) {
    std::vector<std::size_t> order;
    if (places.empty()) return order;
    std::vector<bool> placed(places.size(), false);
    std::size_t at = std::min(start, places.size() - 1);
    order.push_back(at);
    placed[at] = true;
    while (order.size() < places.size()) {
        std::size_t next = 0;
        double nearest = std::numeric_limits<double>::infinity();
        for (std::size_t k = 0; k < places.size(); ++k)
            if (!placed[k] && hop(places, at, k) < nearest) {
                nearest = hop(places, at, k);
                next = k;
            }
        order.push_back(next);
        placed[next] = true;
        at = next;
    }
    improve_route(places, order);
    return order;
}

}  // namespace fieldflow::core
