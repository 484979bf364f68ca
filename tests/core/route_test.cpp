// Routes through a day's stops: nearest neighbour then 2-opt, against a
// random order of the same stops.

#include "core/route.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <random>

using namespace fieldflow::core;

namespace {

// Stops scattered over a district of about 10 km by 10 km.
std::vector<Place> scattered(unsigned count, unsigned seed) {
    std::mt19937 random(seed);
    std::uniform_real_distribution<double> lat(31.15, 31.24), lon(121.45, 121.56);
    std::vector<Place> places;
    for (unsigned i = 0; i < count; ++i) places.push_back({lat(random), lon(random)});
    return places;
}

}  // namespace

TEST_CASE("route: stops on a line are walked end to end, whatever the order given") {
    // Five stops along a street, listed out of order, starting at its west end.
    std::vector<Place> places{
        {31.2, 121.40}, {31.2, 121.44}, {31.2, 121.41}, {31.2, 121.43}, {31.2, 121.42}};
    auto order = short_route(places, 0);
    CHECK(order == std::vector<std::size_t>{0, 2, 4, 3, 1});
    std::vector<std::size_t> given{0, 1, 2, 3, 4};
    CHECK(route_length_m(places, order) < route_length_m(places, given) / 2);
}

TEST_CASE("route: 2-opt undoes a crossing that nearest neighbour leaves") {
    // A square walked corner to opposite corner crosses itself.
    std::vector<Place> places{{31.20, 121.40}, {31.21, 121.41}, {31.21, 121.40}, {31.20, 121.41}};
    std::vector<std::size_t> crossing{0, 1, 2, 3};
    double before = route_length_m(places, crossing);
    improve_route(places, crossing);
    CHECK(crossing.front() == 0);
    CHECK(route_length_m(places, crossing) < before * 0.9);
}

TEST_CASE("route: every stop once, the first one first, and far shorter than a random order") {
    double ours = 0, random_order = 0;
    std::mt19937 shuffle(7);
    for (unsigned seed = 1; seed <= 20; ++seed) {
        auto places = scattered(12, seed);
        auto order = short_route(places, 3);
        REQUIRE(order.size() == places.size());
        CHECK(order.front() == 3);
        auto sorted = order;
        std::sort(sorted.begin(), sorted.end());
        std::vector<std::size_t> each(places.size());
        std::iota(each.begin(), each.end(), 0);
        CHECK(sorted == each);
        std::shuffle(each.begin(), each.end(), shuffle);
        ours += route_length_m(places, order);
        random_order += route_length_m(places, each);
    }
    // Twelve random stops: a random order is typically three times as long.
    MESSAGE("12 stops, 20 days: ours " << ours / 20000 << " km a day, random order "
                                       << random_order / 20000 << " km a day");
    CHECK(ours < random_order * 0.6);
}
