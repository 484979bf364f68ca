#pragma once
// The last minutes of ingest for the dashboard's charts: the metrics'
// counters sampled every few seconds, turned into rates and latency
// quantiles per interval, as Prometheus's rate() and histogram_quantile()
// would compute them.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>

#include "gateway/metrics.h"

namespace fieldflow::gateway {

// The q-quantile of the observations between two readings of a histogram,
// interpolated within its bucket; nullopt when nothing was observed.
std::optional<double> quantile_between(const Buckets& before, const Buckets& after, double q);

class IngestHistory {
  public:
    explicit IngestHistory(std::size_t capacity = 180) : capacity_(capacity) {}

    void sample(const MetricsSnapshot& now, std::int64_t at_ms);

    // Arrays of equal length for the charts: "t" (Unix seconds at the end of
    // each interval), records per second by verdict, and commit and ack
    // latency quantiles in milliseconds (null where nothing was observed).
    nlohmann::json chart() const;

  private:
    struct Sample {
        std::int64_t at_ms = 0;
        std::map<std::string, double> by_verdict;
        Buckets commit, ack;
    };
    std::size_t capacity_;
    std::deque<Sample> samples_;
};

}  // namespace fieldflow::gateway
