#pragma once

namespace fieldflow::core {

// Great-circle distance in metres between two WGS-84 points (haversine on a
// sphere of the mean Earth radius: well under 0.5 % off at geofence scale).
double distance_m(double lat1, double lon1, double lat2, double lon2);

}  // namespace fieldflow::core
