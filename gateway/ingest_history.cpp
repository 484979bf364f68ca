#include "gateway/ingest_history.h"

#include <cmath>

namespace fieldflow::gateway {

using nlohmann::json;

std::optional<double> quantile_between(const Buckets& before, const Buckets& after, double q) {
    const std::size_t n = after.cumulative.size();
    if (n == 0 || after.upper.size() != n) return std::nullopt;
    auto count = [&](std::size_t i) {
        double earlier = before.cumulative.size() == n ? before.cumulative[i] : 0;
        return after.cumulative[i] - earlier;
    };
    double total = count(n - 1);
    if (total <= 0) return std::nullopt;
    double rank = q * total;
    double lower = 0, below = 0;
    for (std::size_t i = 0; i < n; ++i) {
        double upper = after.upper[i], here = count(i);
        if (here >= rank) {
            // Beyond the last finite bound nothing can be interpolated.
            if (std::isinf(upper)) return lower;
            if (here == below) return upper;
            return lower + (upper - lower) * (rank - below) / (here - below);
        }
        lower = upper;
        below = here;
    }
    return lower;
}

void IngestHistory::sample(const MetricsSnapshot& now, std::int64_t at_ms) {
    samples_.push_back({at_ms, now.by_verdict, now.commit_seconds, now.ack_seconds});
    // One more than the intervals shown: each interval needs its start.
    while (samples_.size() > capacity_ + 1) samples_.pop_front();
}

json IngestHistory::chart() const {
    json t = json::array(), commit_p50 = json::array(), commit_p99 = json::array(),
         ack_p50 = json::array(), ack_p99 = json::array();
    std::map<std::string, json> rates;
    for (const char* verdict : {"accepted", "flagged", "rejected"}) rates[verdict] = json::array();
    auto ms = [](std::optional<double> seconds) -> json {
        if (!seconds) return nullptr;
        return std::round(*seconds * 1e5) / 100;  // milliseconds, two decimals
    };
    for (std::size_t i = 1; i < samples_.size(); ++i) {
        const auto &from = samples_[i - 1], &to = samples_[i];
        double seconds = double(to.at_ms - from.at_ms) / 1000;
        if (seconds <= 0) continue;
        t.push_back(double(to.at_ms) / 1000);
        for (auto& [name, series] : rates) {
            // clang before 16 cannot capture a structured binding.
            const std::string& verdict = name;
            auto count = [&](const Sample& s) {
                auto found = s.by_verdict.find(verdict);
                return found == s.by_verdict.end() ? 0.0 : found->second;
            };
            series.push_back(std::round((count(to) - count(from)) / seconds * 10) / 10);
        }
        commit_p50.push_back(ms(quantile_between(from.commit, to.commit, 0.5)));
        commit_p99.push_back(ms(quantile_between(from.commit, to.commit, 0.99)));
        ack_p50.push_back(ms(quantile_between(from.ack, to.ack, 0.5)));
        ack_p99.push_back(ms(quantile_between(from.ack, to.ack, 0.99)));
    }
    json out{{"t", t},
             {"commit_p50_ms", commit_p50},
             {"commit_p99_ms", commit_p99},
             {"ack_p50_ms", ack_p50},
             {"ack_p99_ms", ack_p99}};
    for (auto& [verdict, series] : rates) out[verdict] = series;
    return out;
}

}  // namespace fieldflow::gateway
