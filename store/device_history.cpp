#include "store/device_history.h"

#include <algorithm>

namespace fieldflow::store {

DeviceHistory device_history(sql::Database& db, const std::string& device, std::int64_t span_ms,
                             int tz_minutes, std::size_t uploads, std::size_t records,
                             std::size_t backlog) {
    DeviceHistory out;
    constexpr std::int64_t day_ms = 86'400'000;
    std::int64_t shift_ms = std::int64_t{tz_minutes} * 60'000;
    // Captures are after 1970, so integer division is a floor in both dialects.
    sql::Statement days(db,
                        "SELECT (captured_at_ms + ?2) / ?3 AS day, "
                        "sum(CASE WHEN verdict = 'accepted' THEN 1 ELSE 0 END), "
                        "sum(CASE WHEN verdict = 'flagged' THEN 1 ELSE 0 END) "
                        "FROM records WHERE device = ?1 AND captured_at_ms >= "
                        "((SELECT max(captured_at_ms) FROM records WHERE device = ?1) + ?2) "
                        "/ ?3 * ?3 - ?2 - ?4 "
                        "GROUP BY day ORDER BY day");
    days.bind(1, device).bind(2, shift_ms).bind(3, day_ms).bind(4, span_ms);
    while (days.step()) out.days.push_back({days.int64(0), days.int64(1), days.int64(2)});

    sql::Statement batches(db,
                           "SELECT received_at_ms, count(*) FROM records WHERE device = ?1 "
                           "GROUP BY received_at_ms ORDER BY received_at_ms DESC LIMIT ?2");
    batches.bind(1, device).bind(2, static_cast<std::int64_t>(uploads));
    while (batches.step()) out.uploads.push_back({batches.int64(0), batches.int64(1)});

    sql::Statement latest(db,
                          "SELECT kind, captured_at_ms, received_at_ms, raw FROM records "
                          "WHERE device = ?1 ORDER BY seq DESC LIMIT ?2");
    latest.bind(1, device).bind(2, static_cast<std::int64_t>(records));
    while (latest.step()) {
        auto blob = latest.blob(3);
        out.latest.push_back(
            {latest.text(0), latest.int64(1), latest.int64(2), {blob.begin(), blob.end()}});
    }
    sql::Statement refusals(db,
                            "SELECT at_ms, peer, event, detail FROM auth_log WHERE device = ?1 "
                            "ORDER BY id DESC LIMIT ?2");
    refusals.bind(1, device).bind(2, static_cast<std::int64_t>(uploads));
    while (refusals.step())
        out.refusals.push_back(
            {refusals.int64(0), refusals.text(1), refusals.text(2), refusals.text(3)});
    sql::Statement depths(db,
                          "SELECT at_ms, outbox_depth FROM device_backlog WHERE device = ?1 "
                          "ORDER BY at_ms DESC LIMIT ?2");
    depths.bind(1, device).bind(2, static_cast<std::int64_t>(backlog));
    while (depths.step()) out.backlog.push_back({depths.int64(0), depths.int64(1)});
    std::reverse(out.backlog.begin(), out.backlog.end());
    return out;
}

}  // namespace fieldflow::store
