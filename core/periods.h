#pragma once
// Month-end close. A closed period's figures do not move: a row dated in it
// that arrives later is booked on the first day of the next open period, as
// an adjustment there, and flagged `closed_period`.

#include <set>
#include <utility>

#include "core/calendar.h"

namespace fieldflow::core {

class ClosedPeriods {
  public:
    ClosedPeriods() = default;
    explicit ClosedPeriods(std::set<Period> closed) : closed_(std::move(closed)) {}

    bool closed(Period period) const { return closed_.count(period) != 0; }
    // The day a row dated `day` is booked on.
    Day booking_day(Day day) const;

  private:
    std::set<Period> closed_;
};

}  // namespace fieldflow::core
