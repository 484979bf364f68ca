#include "gateway/login_limiter.h"

#include <algorithm>

namespace fieldflow::gateway {

std::size_t LoginLimiter::recent(Table& table, const std::string& key, Clock::time_point now) {
    auto found = table.find(key);
    if (found == table.end()) return 0;
    auto& failures = found->second;
    while (!failures.empty() && now - failures.front() >= limits_.window) failures.pop_front();
    if (failures.empty()) {
        table.erase(found);
        return 0;
    }
    return failures.size();
}

std::optional<std::chrono::seconds> LoginLimiter::locked(Table& table, const std::string& key,
                                                         unsigned limit, Clock::time_point now) {
    if (limit == 0 || recent(table, key, now) < limit) return std::nullopt;
    // Free again once the oldest failure that counts leaves the window;
    // rounded up, so that a client that waits as told is let in.
    auto& failures = table.find(key)->second;
    auto left = failures[failures.size() - limit] + limits_.window - now;
    auto seconds = std::chrono::ceil<std::chrono::seconds>(left);
    return std::max(seconds, std::chrono::seconds(1));
}

std::optional<LoginLimiter::Refusal> LoginLimiter::refused(const std::string& name,
                                                           const std::string& address,
                                                           Clock::time_point now) {
    if (auto wait = locked(by_name_, name, limits_.failures_per_name, now))
        return Refusal{By::name, *wait};
    if (auto wait = locked(by_address_, address, limits_.failures_per_address, now))
        return Refusal{By::address, *wait};
    return std::nullopt;
}

bool LoginLimiter::add(Table& table, const std::string& key, unsigned limit,
                       Clock::time_point now) {
    if (limit == 0) return false;
    std::size_t before = recent(table, key, now);
    auto& failures = table[key];
    failures.push_back(now);
    // Only the newest `limit` failures can matter.
    while (failures.size() > limit) failures.pop_front();
    if (table.size() > prune_above_) prune(table, now);
    return before + 1 == limit;
}

void LoginLimiter::prune(Table& table, Clock::time_point now) {
    // Names that failed once long ago must not pile up: a sprayer of
    // made-up names would otherwise grow the table without bound.
    std::erase_if(table, [&](const auto& entry) {
        return entry.second.empty() || now - entry.second.back() >= limits_.window;
    });
    prune_above_ = std::max<std::size_t>(1024, 2 * table.size());
}

std::vector<LoginLimiter::By> LoginLimiter::failed(const std::string& name,
                                                   const std::string& address,
                                                   Clock::time_point now) {
    std::vector<By> reached;
    if (add(by_name_, name, limits_.failures_per_name, now)) reached.push_back(By::name);
    if (add(by_address_, address, limits_.failures_per_address, now))
        reached.push_back(By::address);
    return reached;
}

}  // namespace fieldflow::gateway
