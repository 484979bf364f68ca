#pragma once
// What one handheld sent, for the console's device page: records per day,
// its latest uploads, and its latest records as sent (the page reads the
// fixes' accuracy and the clock skew out of them).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "store/sql.h"

namespace fieldflow::store {

struct DayCount {
    std::int64_t day = 0;  // days since 1970-01-01 in the zone asked for
    std::int64_t accepted = 0, flagged = 0;
};

// Records of one commit: the gateway stamps every record of a batch with
// the same arrival time.
struct Upload {
    std::int64_t received_at_ms = 0;
    std::int64_t records = 0;
};

struct SentRecord {
    std::string kind;
    std::int64_t captured_at_ms = 0, received_at_ms = 0;
    std::vector<std::byte> raw;
};

// A hello or a batch the gateway refused (auth_log).
struct Refusal {
    std::int64_t at_ms = 0;
    std::string peer, event, detail;
};

// The outbox depth a hello reported.
struct BacklogSample {
    std::int64_t at_ms = 0;
    std::int64_t depth = 0;
};

struct DeviceHistory {
    std::vector<DayCount> days;          // oldest first, days with records only
    std::vector<Upload> uploads;         // newest first
    std::vector<SentRecord> latest;      // newest first
    std::vector<Refusal> refusals;       // newest first
    std::vector<BacklogSample> backlog;  // oldest first, the latest `backlog` hellos
};

// Booked records of `device` captured from `span_ms` before the start of
// the day of its latest one (a device silent for months still shows its
// last weeks), by day in the zone
// `tz_minutes` east of UTC; the last `uploads` uploads (and as many refusals) and `records`
// records; the outbox depths of its last `backlog` hellos.
DeviceHistory device_history(sql::Database& db, const std::string& device, std::int64_t span_ms,
                             int tz_minutes, std::size_t uploads, std::size_t records,
                             std::size_t backlog);

}  // namespace fieldflow::store
