#include "core/periods.h"

namespace fieldflow::core {

Day ClosedPeriods::booking_day(Day day) const {
    Period period = period_of(day);
    if (!closed(period)) return day;
    while (closed(period)) ++period;
    return first_day(period);
}

}  // namespace fieldflow::core
