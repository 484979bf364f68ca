#pragma once
// Short routes through a day's stops. A rep walks or drives from stop to
// stop and does not come back: a route is an open path, and its length is
// the sum of great-circle hops (core/geo.h), which at city scale stands in
// well enough for the streets between pharmacies.

#include <cstddef>
#include <vector>

namespace fieldflow::core {

struct Place {
    double lat = 0, lon = 0;
};

// The length in metres of visiting `places` in the order of `order`.
double route_length_m(const std::vector<Place>& places, const std::vector<std::size_t>& order);

// An order of every place: nearest neighbour from `start` (the stop that
// begins the route), then 2-opt, which reverses any stretch of the path
// whose reversal makes it shorter until none does. Nearest neighbour alone
// is typically about 25 % longer than the best path; 2-opt brings that to a
// few per cent, and for the dozen stops of a day it costs microseconds.
std::vector<std::size_t> short_route(const std::vector<Place>& places, std::size_t start = 0);

// 2-opt on an existing order (open path, first stop kept first).
void improve_route(const std::vector<Place>& places, std::vector<std::size_t>& order);

}  // namespace fieldflow::core
