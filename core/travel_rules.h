#pragma once
// The field's travel tricks: a device that checks in at two places farther
// apart than anyone could drive in the time between them (a rep checking in
// from home, or a shared handheld), and a visit closed almost as soon as it
// opened. Both flag the record for a reviewer; neither rejects it, since a
// bad GPS fix or a wrong device clock can cause them too.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "core/reason.h"
#include "core/record.h"

namespace fieldflow::core {

struct TravelLimits {
    double max_kmh = 120;          // 0: impossible_travel is off
    double min_hop_km = 1;         // hops shorter than this are never judged
    double min_visit_minutes = 0;  // 0: short_visit is off
};

// A booked check-in as the travel rules need it.
struct VisitPoint {
    std::uint64_t seq = 0;
    std::int64_t captured_at_ms = 0;
    std::string terminal;
    double lat = 0;
    double lon = 0;
    // False for a check-in without a fix: it still opens a visit, but says
    // nothing about where the device was.
    bool located = true;

    bool operator==(const VisitPoint&) const = default;
};

// The time of day (HH:MM) in China Standard Time, where the reps work, as
// the effectiveness report counts days (china_day).
std::string clock_time(std::int64_t ms);

// A check-in as a point; nullopt for any other record. One whose receiver
// had no fix, or whose position is not on the Earth, is not located.
std::optional<VisitPoint> visit_point(const Record& record);

// The hop from `from` to `to` (consecutive check-ins of one device, in
// capture order, whichever arrived first) is faster than the limit allows.
std::optional<Reason> travel_possible(const VisitPoint& from, const VisitPoint& to,
                                      const TravelLimits& limits);

// A check-out captured at `out_at_ms` closes the visit opened by `in` too soon.
std::optional<Reason> visit_long_enough(const VisitPoint& in, std::int64_t out_at_ms,
                                        const TravelLimits& limits);

// One device's check-ins by capture time, as far as the gateway has read
// them: records arrive out of order (an older outbox synced after a newer
// one, a restored device), so the neighbours of a check-in are found by
// capture time, never by arrival.
class TravelLog {
  public:
    void add(VisitPoint point);
    // The latest check-in captured before (`at_ms`, `seq`), ties broken by
    // seq; with `located`, the latest one with a position.
    const VisitPoint* before(std::int64_t at_ms, std::uint64_t seq, bool located = false) const;
    // The earliest check-in captured after it.
    const VisitPoint* after(std::int64_t at_ms, std::uint64_t seq, bool located = false) const;
    const VisitPoint* find(std::uint64_t seq) const;
    bool empty() const { return points_.empty(); }

  private:
    std::map<std::pair<std::int64_t, std::uint64_t>, VisitPoint> points_;  // by (time, seq)
};

// A new check-in against its located neighbours in `log`: the hop from the
// one before it, then the hop to the one after it (a check-in that arrives
// late and lands between two others is judged on both sides, since the
// later one was judged against a check-in that is no longer its
// predecessor). A neighbour without a position is passed over: a hop too
// fast over the longer time is too fast for some leg of it.
std::optional<Reason> travel_from_neighbours(const TravelLog& log, const VisitPoint& here,
                                             const TravelLimits& limits);

// A check-out against the check-in it closes: the one its record names
// (check_in_seq), else the device's latest check-in before it at the same
// terminal.
std::optional<Reason> visit_long_enough(const TravelLog& log, const Record& record,
                                        const CheckOut& out, const TravelLimits& limits);

}  // namespace fieldflow::core
